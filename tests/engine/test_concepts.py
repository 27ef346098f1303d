from superconnector.engine.concepts import ConceptMatcher

GLOSSARY = [
    {
        "id": "trademark_registration",
        "group": "trademark",
        "exclusive": True,
        "en": ["trademark registration", "register trademarks"],
        "zh": ["商标注册"],
    },
    {
        "id": "trademark_enforcement",
        "group": "trademark",
        "exclusive": True,
        "en": ["trademark enforcement", "anti-counterfeiting"],
        "zh": ["商标维权", "打假"],
    },
    {
        "id": "trade_credit_insurance",
        "group": "insurance",
        "exclusive": True,
        "en": ["trade credit insurance"],
        "zh": ["出口信用保险", "信保"],
    },
    {
        "id": "esg",
        "group": "sustainability",
        "exclusive": False,
        "en": ["esg report"],
        "zh": ["esg报告"],
    },
    {
        "id": "carbon",
        "group": "sustainability",
        "exclusive": False,
        "en": ["carbon accounting"],
        "zh": ["碳核算"],
    },
]


def test_concepts_are_found_in_english_simplified_and_traditional():
    matcher = ConceptMatcher(GLOSSARY)
    assert set(matcher.find("我們需要商標註冊並購買出口信用保險")) == {
        "trademark_registration",
        "trade_credit_insurance",
    }
    assert set(matcher.find("Trade Credit Insurance for buyers")) == {"trade_credit_insurance"}
    assert (
        matcher.find("we do anti-counterfeiting raids")["trademark_enforcement"]
        == "anti-counterfeiting"
    )


def test_exclusive_siblings_conflict_unless_both_are_offered():
    matcher = ConceptMatcher(GLOSSARY)
    assert matcher.conflicts({"trademark_registration"}, {"trademark_enforcement"}) == {
        "trademark_registration"
    }
    assert (
        matcher.conflicts(
            {"trademark_registration"}, {"trademark_enforcement", "trademark_registration"}
        )
        == set()
    )
    assert matcher.conflicts({"esg"}, {"carbon"}) == set()  # compatible facets


def test_glossary_terms_are_offered_to_the_tokeniser():
    assert "出口信用保险" in ConceptMatcher(GLOSSARY).jieba_words()


def test_concepts_of_one_alternative_do_not_conflict():
    matcher = ConceptMatcher(
        [
            {
                "id": "main_board",
                "group": "venue",
                "exclusive": True,
                "alternative": "hkex",
                "en": ["hkex main board"],
                "zh": [],
            },
            {
                "id": "chapter_18c",
                "group": "venue",
                "exclusive": True,
                "alternative": "hkex",
                "en": ["chapter 18c"],
                "zh": [],
            },
            {"id": "nasdaq", "group": "venue", "exclusive": True, "en": ["nasdaq"], "zh": []},
        ]
    )
    assert matcher.conflicts({"chapter_18c"}, {"main_board"}) == set()
    assert matcher.conflicts({"chapter_18c"}, {"nasdaq"}) == {"chapter_18c"}
    assert matcher.conflicts({"chapter_18c"}, {"nasdaq", "main_board"}) == set()
