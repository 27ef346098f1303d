"""Each scoring rule beats a look-alike that is *more* similar in embedding space."""

import numpy as np

from superconnector.engine.concepts import ConceptMatcher
from superconnector.engine.matching import (
    Embeddings,
    Feedback,
    MatchingConfig,
    Opportunity,
    Organisation,
    Reason,
    build_profiles,
    recommend,
)

GLOSSARY = ConceptMatcher(
    [
        {
            "id": "trademark_registration",
            "group": "trademark",
            "exclusive": True,
            "en": ["trademark registration"],
            "zh": ["商标注册"],
        },
        {
            "id": "trademark_enforcement",
            "group": "trademark",
            "exclusive": True,
            "en": ["trademark enforcement"],
            "zh": ["商标维权"],
        },
        {
            "id": "trade_credit_insurance",
            "group": "insurance",
            "exclusive": True,
            "en": ["trade credit insurance"],
            "zh": ["出口信用保险"],
        },
    ]
)
ORGS = [
    Organisation("seeker", "Seeker Tech", "enterprise", "Beijing", ("ai",)),
    Organisation("twin", "Twin Tech", "enterprise", "Beijing", ("ai",)),
    Organisation("law", "Harbour Law", "service_provider", "Hong Kong", ("legal",)),
    Organisation("law2", "Other Law", "service_provider", "Hong Kong", ("legal",)),
    Organisation("fund", "Peak Ventures", "investor", "Hong Kong", ("ai",)),
    Organisation("startup", "Hungry Startup", "startup", "Beijing", ("ai",)),
]


def embeddings_with(profiles, cosine: dict[str, float], dim: int = 64, seed: int = 1) -> Embeddings:
    """Needs get random unit vectors; each offer gets the stated cosine to every need
    (built around the first need, which is the one under test)."""
    rng = np.random.default_rng(seed)
    needs = rng.normal(size=(len(profiles.needs), dim)).astype(np.float32)
    needs /= np.linalg.norm(needs, axis=1, keepdims=True)
    anchor = needs[0]
    offers = []
    for profile in profiles.offers:
        c = cosine.get(profile.opportunity.key, 0.0)
        noise = rng.normal(size=dim).astype(np.float32)
        noise -= noise @ anchor * anchor
        noise /= np.linalg.norm(noise)
        offers.append(c * anchor + np.sqrt(1 - c * c) * noise)
    return Embeddings(needs, np.array(offers, dtype=np.float32), 0, "test")


def ranking(opportunities, cosine, **kwargs):
    profiles = build_profiles(opportunities, ORGS, GLOSSARY)
    result = recommend(
        profiles, embeddings_with(profiles, cosine), MatchingConfig(top_k=10), **kwargs
    )
    return result, [r.target for r in result.needs[profiles.needs[0].opportunity.key]]


def need(
    key="n", category="professional_service", title="", description="", org="seeker", regions=()
):
    return Opportunity(
        key, org, "need", category, title, description, regions=regions, language="en"
    )


def offer(
    key, org, category="professional_service", title="", description="", regions=(), language="en"
):
    return Opportunity(
        key, org, "offer", category, title, description, regions=regions, language=language
    )


def test_needs_are_never_recommended_for_needs_nor_own_offers():
    opportunities = [
        need(title="Trademark registration in ASEAN"),
        Opportunity(
            "other-need", "twin", "need", "professional_service", "Trademark registration in ASEAN"
        ),
        offer("own", "seeker", title="Trademark registration"),
        offer("right", "law", title="Trademark registration"),
    ]
    result, order = ranking(opportunities, {"own": 0.99, "right": 0.5})
    assert order == ["right"]  # no needs, not the seeker's own offer
    assert "own" in [r.target for r in result.needs["other-need"]]  # others may be offered it


def test_an_exclusive_alternative_loses_to_the_wanted_service():
    opportunities = [
        need(title="Trademark registration for our brand in ASEAN"),
        offer("enforcement", "law2", title="Trademark enforcement and raids"),
        offer("registration", "law", title="商标注册 across ASEAN", language="zh-Hans"),
    ]
    result, order = ranking(opportunities, {"enforcement": 0.95, "registration": 0.6})
    assert order[0] == "registration"
    top = result.needs["n"][0]
    assert Reason("matched_terms", {"terms": "trademark registration ↔ 商标注册"}) in top.reasons
    assert Reason("cross_language", {"need_language": "en", "offer_language": "zh-Hans"}) in (
        top.reasons
    )


def test_someone_else_seeking_capital_is_not_an_investor():
    opportunities = [
        need(category="investment", title="Raising a Series B of USD 30 million"),
        offer(
            "startup-round", "startup", category="investment", title="Invest in our Series B round"
        ),
        offer("fund", "fund", category="investment", title="Series B growth capital"),
    ]
    _result, order = ranking(opportunities, {"startup-round": 0.97, "fund": 0.6})
    assert order[0] == "fund"


def test_a_service_in_the_wrong_region_loses():
    opportunities = [
        need(title="Bonded warehouse", regions=("Hong Kong",)),
        offer("rotterdam", "law2", title="Bonded warehouse", regions=("Rotterdam",)),
        offer("hk", "law", title="Bonded warehouse", regions=("Kwai Chung, Hong Kong",)),
    ]
    result, order = ranking(opportunities, {"rotterdam": 0.95, "hk": 0.7})
    assert order[0] == "hk"
    assert Reason("region_fit", {"places": "Hong Kong"}) in result.needs["n"][0].reasons


def test_a_region_named_only_in_the_text_still_counts():
    opportunities = [
        need(title="Bonded warehouse", description="We need a bonded warehouse in Hong Kong."),
        offer(
            "rotterdam",
            "law2",
            title="Bonded warehouse",
            description="Our warehouse is in Rotterdam.",
        ),
        offer(
            "hk",
            "law",
            title="Bonded warehouse",
            description="Licensed warehouse at Kwai Chung, Hong Kong.",
        ),
    ]
    _result, order = ranking(opportunities, {"rotterdam": 0.9, "hk": 0.75})
    assert order[0] == "hk"


def test_a_service_need_prefers_a_service_provider_to_a_look_alike_company():
    opportunities = [
        need(title="Our AI cameras need trade credit insurance for Saudi buyers"),
        offer("look-alike", "twin", category="technology", title="AI cameras for smart retail"),
        offer("insurer", "law", title="出口信用保险 for exporters", language="zh-Hans"),
    ]
    _result, order = ranking(opportunities, {"look-alike": 0.95, "insurer": 0.6})
    assert order[0] == "insurer"


def test_not_relevant_feedback_removes_the_offer_and_lowers_close_ones():
    opportunities = [
        need(title="Trademark registration"),
        offer("a", "law", title="Trademark registration services"),
        offer("b", "law2", title="Trademark registration services"),
    ]
    profiles = build_profiles(opportunities, ORGS, GLOSSARY)
    embeddings = embeddings_with(profiles, {"a": 0.9, "b": 0.89})
    embeddings.offers[1] = embeddings.offers[0]  # b is a near copy of a
    before = recommend(profiles, embeddings, MatchingConfig())
    score_b = next(r.score for r in before.needs["n"] if r.target == "b")
    after = recommend(
        profiles,
        embeddings,
        MatchingConfig(),
        [Feedback("seeker", "a", "opportunity", "not_relevant")],
    )
    assert [r.target for r in after.needs["n"]] == ["b"]
    assert after.needs["n"][0].score < score_b


def test_competitor_feedback_removes_the_whole_organisation():
    opportunities = [need(title="Trademark registration"), offer("a", "law"), offer("b", "law2")]
    result, order = ranking(
        opportunities,
        {"a": 0.9, "b": 0.5},
        feedback=[Feedback("seeker", "law", "organisation", "competitor")],
    )
    assert order == ["b"]
    assert "law" not in {r.target for r in result.organisations["seeker"]}


def test_organisations_with_interest_both_ways_rank_higher():
    opportunities = [
        need("n1", title="Trademark registration"),
        offer("from-law", "law", title="Trademark registration"),
        offer("from-law2", "law2", title="Trademark registration"),
        Opportunity("law-needs", "law", "need", "partnership", "AI tools for our lawyers"),
        offer("seeker-offers", "seeker", category="partnership", title="AI tools for lawyers"),
    ]
    profiles = build_profiles(opportunities, ORGS, GLOSSARY)
    embeddings = embeddings_with(
        profiles, {"from-law": 0.8, "from-law2": 0.8, "seeker-offers": 0.1}
    )
    embeddings.needs[1] = embeddings.offers[2]  # law's need is answered by seeker's offer
    result = recommend(profiles, embeddings, MatchingConfig())
    partners = [r.target for r in result.organisations["seeker"]]
    assert partners.index("law") < partners.index("law2")
    assert Reason("mutual") in result.organisations["seeker"][0].reasons
    assert "seeker" not in partners


def test_offers_get_the_needs_they_answer():
    opportunities = [
        need(title="Trademark registration"),
        offer("a", "law", title="Trademark registration"),
    ]
    result, _order = ranking(opportunities, {"a": 0.9})
    assert [r.target for r in result.offers["a"]] == ["n"]
    assert result.offers["a"][0].reasons[0].code == "needs_your_offer"


LISTING = ConceptMatcher(
    [
        {
            "id": "hkex",
            "group": "venue",
            "exclusive": True,
            "en": ["hong kong listing", "hkex"],
            "zh": ["港交所"],
        },
        {"id": "nasdaq", "group": "venue", "exclusive": True, "en": ["nasdaq"], "zh": ["纳斯达克"]},
        {
            "id": "ipo_sponsor",
            "group": "capital_markets",
            "exclusive": False,
            "en": ["ipo sponsor", "sponsor"],
            "zh": ["保荐"],
        },
        {
            "id": "battery",
            "group": "battery_energy_storage",
            "exclusive": False,
            "en": ["battery", "batteries"],
            "zh": ["电池"],
        },
        {
            "id": "insurance",
            "group": "insurance",
            "exclusive": True,
            "en": ["credit insurance"],
            "zh": ["信用保险"],
        },
    ]
)


def rank_with(glossary, opportunities, cosine):
    profiles = build_profiles(opportunities, ORGS, glossary)
    result = recommend(profiles, embeddings_with(profiles, cosine), MatchingConfig(top_k=10))
    return [r.target for r in result.needs[profiles.needs[0].opportunity.key]]


def test_a_ruled_out_venue_is_not_read_as_wanted():
    opportunities = [
        need(title="IPO sponsor for a Hong Kong listing, not Nasdaq"),
        offer("nasdaq", "law2", title="Nasdaq IPO sponsor"),
        offer("hkex", "law", title="港交所上市保荐", language="zh-Hans"),
    ]
    assert rank_with(LISTING, opportunities, {"nasdaq": 0.95, "hkex": 0.7})[0] == "hkex"


def test_the_service_asked_for_outweighs_the_product_described():
    # The need's title names its product and the service it wants; only the service is asked.
    opportunities = [
        need(title="Credit insurance for our battery exports"),
        offer("battery-lab", "law2", title="Battery safety testing"),
        offer("insurer", "law", title="信用保险", language="zh-Hans"),
    ]
    profiles = build_profiles(opportunities, ORGS, LISTING)
    assert profiles.needs[0].ask == {"insurance"}
    assert rank_with(LISTING, opportunities, {"battery-lab": 0.8, "insurer": 0.8})[0] == "insurer"


def test_an_investor_looking_for_deals_is_answered_by_companies_raising():
    opportunities = [
        Opportunity(
            "deals", "fund", "need", "investment", "Deal flow: AI start-ups raising Series A"
        ),
        offer(
            "other-fund", "fund2", category="investment", title="Series A capital for AI start-ups"
        ),
        offer(
            "raising",
            "startup",
            category="investment",
            title="Our AI start-up is raising its Series A",
        ),
    ]
    orgs = [*ORGS, Organisation("fund2", "Second Fund", "investor", "Hong Kong", ("ai",))]
    profiles = build_profiles(opportunities, orgs, GLOSSARY)
    result = recommend(
        profiles, embeddings_with(profiles, {"other-fund": 0.95, "raising": 0.6}), MatchingConfig()
    )
    assert result.needs["deals"][0].target == "raising"


def test_an_investor_looking_for_co_investors_is_answered_by_investors():
    opportunities = [
        Opportunity(
            "co", "fund", "need", "investment", "Co-investors for our portfolio company's Series A"
        ),
        offer(
            "raising",
            "startup",
            category="investment",
            title="Our start-up is raising its Series A",
        ),
        offer("other-fund", "fund2", category="investment", title="Series A capital, we co-invest"),
    ]
    orgs = [*ORGS, Organisation("fund2", "Second Fund", "investor", "Hong Kong", ("ai",))]
    profiles = build_profiles(opportunities, orgs, GLOSSARY)
    result = recommend(
        profiles, embeddings_with(profiles, {"raising": 0.95, "other-fund": 0.6}), MatchingConfig()
    )
    assert result.needs["co"][0].target == "other-fund"


def test_an_investor_outside_the_sector_mandate_loses():
    opportunities = [
        Opportunity(
            "n",
            "startup",
            "need",
            "investment",
            "Series B for our biotech platform",
            sectors=("biotech",),
        ),
        Opportunity(
            "wrong-sector",
            "fund",
            "offer",
            "investment",
            "Series B growth capital",
            sectors=("ev",),
        ),
        Opportunity(
            "right-sector", "fund2", "offer", "investment", "Growth capital", sectors=("biotech",)
        ),
    ]
    orgs = [*ORGS, Organisation("fund2", "Second Fund", "investor", "Hong Kong", ("biotech",))]
    profiles = build_profiles(opportunities, orgs, GLOSSARY)
    result = recommend(
        profiles,
        embeddings_with(profiles, {"wrong-sector": 0.9, "right-sector": 0.75}),
        MatchingConfig(),
    )
    assert result.needs["n"][0].target == "right-sector"


def test_a_loan_need_is_not_answered_by_an_equity_round():
    glossary = ConceptMatcher(
        [
            {
                "id": "bank_loan",
                "group": "debt_financing",
                "exclusive": True,
                "en": ["working capital loan", "bank loan"],
                "zh": [],
            },
            {
                "id": "trade_finance",
                "group": "debt_financing",
                "exclusive": True,
                "en": ["trade finance"],
                "zh": [],
            },
            {
                "id": "series_a",
                "group": "funding_round",
                "exclusive": True,
                "en": ["series a"],
                "zh": [],
            },
        ]
    )
    orgs = [
        *ORGS,
        Organisation("bank", "Harbour Bank", "financial_institution", "Hong Kong", ("ai",)),
    ]
    opportunities = [
        Opportunity(
            "n", "seeker", "need", "investment", "Working capital loan of HK$5m", sectors=("ai",)
        ),
        Opportunity(
            "equity",
            "fund",
            "offer",
            "investment",
            "Series A equity for AI companies",
            sectors=("ai",),
        ),
        Opportunity("loan", "bank", "offer", "investment", "Bank loan for SMEs", sectors=("ai",)),
    ]
    profiles = build_profiles(opportunities, orgs, glossary)
    result = recommend(
        profiles, embeddings_with(profiles, {"equity": 0.9, "loan": 0.7}), MatchingConfig()
    )
    assert result.needs["n"][0].target == "loan"


def test_an_offer_that_is_itself_looking_is_a_need_in_disguise():
    # Same kind of organisation, same place, comparable words: only the disguise differs.
    opportunities = [
        need(category="market_access", title="Distributors for our devices in Saudi Arabia"),
        offer(
            "disguised",
            "law2",
            category="market_access",
            title="Devices: seeking distributors in Saudi Arabia",
        ),
        offer(
            "distributor",
            "law",
            category="market_access",
            title="Devices: distributors in Saudi Arabia",
        ),
    ]
    assert ranking(opportunities, {"disguised": 0.86, "distributor": 0.84})[1][0] == "distributor"


def test_what_an_offer_mentions_in_passing_is_not_what_it_offers():
    opportunities = [
        need(title="Trademark registration for our brand"),
        offer(
            "enforcement",
            "law2",
            title="Trademark enforcement and raids",
            description="Clients usually come to us after their trademark registration.",
        ),
        offer("registration", "law", title="Trademark registration"),
    ]
    assert (
        ranking(opportunities, {"enforcement": 0.9, "registration": 0.75})[1][0] == "registration"
    )


def test_regulators_imply_their_markets():
    from superconnector.engine.regions import find_places
    from superconnector.engine.text import normalise

    assert find_places(normalise("US FDA 510(k) submissions")) == {"united_states"}
    assert find_places(normalise("沙特 SABER 平台 SASO 认证")) == {"saudi_arabia"}
    assert find_places(normalise("NMPA registration")) == {"mainland_china"}
    assert find_places(normalise("Our pump carries a CE mark")) == set()  # a mark, not a market


def test_a_partner_names_only_the_links_that_clear_the_threshold():
    opportunities = [
        need("n1", title="Trademark registration"),
        offer("from-law", "law", title="Trademark registration"),
        Opportunity("law-needs", "law", "need", "partnership", "Office furniture"),
        offer("seeker-offers", "seeker", category="partnership", title="AI tools for lawyers"),
    ]
    profiles = build_profiles(opportunities, ORGS, GLOSSARY)
    embeddings = embeddings_with(profiles, {"from-law": 0.8, "seeker-offers": 0.05})
    result = recommend(profiles, embeddings, MatchingConfig())
    [law] = [r for r in result.organisations["seeker"] if r.target == "law"]
    assert [(link.need, link.offer) for link in law.links] == [("n1", "from-law")]
    assert law.links[0].score >= 0.5
    assert [r.code for r in law.reasons] == ["answers_need_with"]
    # Seen from the law firm, the same link is its offer answering the seeker's need.
    [seeker] = [r for r in result.organisations["law"] if r.target == "seeker"]
    assert [(link.need, link.offer) for link in seeker.links] == [("n1", "from-law")]
    assert [r.code for r in seeker.reasons] == ["looking_for_yours"]


def test_a_partner_does_not_claim_a_need_that_five_others_answer_better():
    opportunities = [need("n1", title="Trademark registration")]
    opportunities += [
        offer(f"better-{n}", "law2", title="Trademark registration") for n in range(5)
    ]
    opportunities.append(offer("weaker", "law", title="Trademark registration"))
    profiles = build_profiles(opportunities, ORGS, GLOSSARY)
    cosine = {f"better-{n}": 0.9 for n in range(5)} | {"weaker": 0.5}
    result = recommend(profiles, embeddings_with(profiles, cosine), MatchingConfig())
    ranked = {r.target: (rank, r.score) for rank, r in enumerate(result.needs["n1"])}
    assert ranked["weaker"][0] == 5 and ranked["weaker"][1] >= 0.5  # the premise
    [law] = [r for r in result.organisations["seeker"] if r.target == "law"]
    assert law.links == () and law.reasons == []
    [law2] = [r for r in result.organisations["seeker"] if r.target == "law2"]
    assert [link.need for link in law2.links] == ["n1"]
