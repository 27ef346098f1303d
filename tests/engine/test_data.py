"""The engine's data files: the glossary and the fit tables have the shape the engine reads."""

import re

import pytest

from superconnector import vocabulary
from superconnector.engine.concepts import ConceptMatcher, load_glossary
from superconnector.engine.data import read_json
from superconnector.engine.matching.fit import load_fit_tables

REQUIRED = {"id": str, "group": (str, type(None)), "exclusive": bool, "en": list, "zh": list}
OPTIONAL = {"alternative": str}


@pytest.fixture(scope="module")
def concepts() -> list[dict]:
    return read_json("glossary.json")["concepts"]


def test_every_concept_has_the_required_fields_of_the_right_types(concepts):
    assert len(concepts) > 300
    for concept in concepts:
        assert set(REQUIRED) <= concept.keys() <= set(REQUIRED) | set(OPTIONAL), concept["id"]
        for name, kind in {**REQUIRED, **OPTIONAL}.items():
            if name in concept:
                assert isinstance(concept[name], kind), (concept["id"], name)


def test_concept_ids_are_unique_snake_case(concepts):
    ids = [c["id"] for c in concepts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", i) for i in ids)


def test_terms_are_non_empty_and_unique_per_concept_and_language(concepts):
    for concept in concepts:
        for language in ("en", "zh"):
            terms = concept[language]
            assert terms, (concept["id"], language)
            assert all(isinstance(t, str) and t.strip() == t and t for t in terms), concept["id"]
            assert len(terms) == len(set(terms)), (concept["id"], language)


def test_english_terms_are_lower_case(concepts):
    for concept in concepts:
        assert all(t == t.lower() for t in concept["en"]), concept["id"]


def test_alternatives_are_used_only_in_exclusive_groups(concepts):
    for concept in concepts:
        if "alternative" in concept:
            assert concept["exclusive"] and concept["group"], concept["id"]


def test_the_bundled_glossary_loads_every_concept(concepts):
    matcher = load_glossary()
    assert isinstance(matcher, ConceptMatcher)
    assert list(matcher.concepts) == [c["id"] for c in concepts]


def test_fit_table_keys_are_vocabulary_codes_and_fits_lie_between_0_and_1():
    category_fit, kind_fit, deal_fit = load_fit_tables()
    categories, kinds = set(vocabulary.CATEGORIES), set(vocabulary.ORGANISATION_KINDS)
    assert category_fit.keys() == categories
    assert kind_fit.keys() == categories
    for row in category_fit.values():
        assert row.keys() <= categories
    for row in kind_fit.values():
        assert row.keys() <= kinds
    assert deal_fit.keys() <= kinds
    fits = [v for t in (category_fit, kind_fit) for row in t.values() for v in row.values()]
    assert all(0.0 <= v <= 1.0 for v in [*fits, *deal_fit.values()])


def test_a_fit_table_that_is_not_numbers_is_refused(monkeypatch):
    from superconnector.engine.matching import fit

    monkeypatch.setattr(
        fit,
        "read_json",
        lambda name: {
            "category_fit": {"technology": {"talent": "high"}},
            "kind_fit": {},
            "deal_fit": {},
        },
    )
    with pytest.raises(ValueError, match=r"category_fit\.technology"):
        fit.load_fit_tables()


def test_the_packaged_install_includes_every_data_file_of_the_engine():
    import fnmatch
    import tomllib
    from pathlib import Path

    import superconnector.engine as engine_package

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    engine = Path(engine_package.__file__).parent
    data_files = [p for p in engine.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert {p.name for p in data_files} >= {"glossary.json", "fit.json"}
    for path in data_files:
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), path
