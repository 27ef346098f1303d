"""Sectors and regions: one stored form whatever the language they are typed in, and words
in the reader's language when shown (directory/labels.py)."""

import json
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from superconnector import vocabulary
from superconnector.directory import labels
from superconnector.directory.domain.ownership import same_value, value_label
from superconnector.directory.labels import (
    REGION_NAMES,
    SECTOR_NAMES,
    normalise_region,
    normalise_regions,
    normalise_sectors,
    region_label,
    regions_text,
    sector_code,
    sector_label,
    sectors_text,
)
from superconnector.engine import regions, synthetic

DEMO = Path(__file__).resolve().parents[2] / "src/superconnector/demo/data/demo-event.json"


@pytest.mark.parametrize(
    "given",
    ["ai", "AI", "A.I.", "Artificial intelligence", "artificial  INTELLIGENCE", "人工智能", "人工智慧",
     "ＡＩ", "人工智能行业", " Artificial-Intelligence "],
)  # fmt: skip
def test_every_name_of_a_sector_folds_to_its_code(given):
    assert sector_code(given) == "ai"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Advanced manufacturing", "advanced_manufacturing"),
        ("advanced-manufacturing", "advanced_manufacturing"),
        ("先进制造", "advanced_manufacturing"),
        ("先進製造", "advanced_manufacturing"),
        ("金融科技", "fintech"),
        ("知識產權", "ip"),
        ("Testing & certification", "testing_certification"),
        ("半導體", "semiconductors"),
    ],
)
def test_sector_names_in_both_scripts_fold(given, code):
    assert sector_code(given) == code


def test_unknown_sectors_are_kept_in_the_form_of_a_code():
    assert normalise_sectors(["Quantum Sensing", "legaltech", "区块链", "  ", ""]) == [
        "quantum_sensing",
        "legaltech",
        "区块链",
    ]


def test_normalising_sectors_folds_duplicates_in_order():
    assert normalise_sectors(["人工智能", "fintech", "AI", "ai", "金融科技"]) == ["ai", "fintech"]
    assert normalise_sectors(None) == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("北京", "Beijing"),
        ("北京市", "Beijing"),
        ("beijing", "Beijing"),
        ("香港", "Hong Kong"),
        ("Hong Kong SAR", "Hong Kong"),
        ("香港特别行政区", "Hong Kong"),
        ("Hong Kong, China", "Hong Kong"),
        ("中國香港", "Hong Kong"),
        ("深圳", "Shenzhen"),
        ("深圳市", "Shenzhen"),
        ("Guangdong Province", "Guangdong"),
        ("广东省", "Guangdong"),
        ("大湾区", "Greater Bay Area"),
        ("中国内地", "Mainland China"),
        ("德國", "Germany"),
        ("UAE", "United Arab Emirates"),
    ],
)
def test_every_name_of_a_region_folds_to_its_canonical_name(given, stored):
    assert normalise_region(given) == stored


def test_unknown_regions_and_places_within_are_kept_as_given():
    # Munich is in Germany, but is not a name of Germany: the delegate said Munich.
    assert normalise_region("  Munich ") == "Munich"
    assert normalise_region("Zhongguancun Science Park") == "Zhongguancun Science Park"
    assert normalise_region("") == normalise_region(None) == ""
    assert normalise_regions(["北京", "Beijing", "", "Munich", "香港"]) == [
        "Beijing",
        "Munich",
        "Hong Kong",
    ]


@pytest.mark.parametrize(
    ("language", "sectors", "places"),
    [
        ("zh-hans", "人工智能、先进制造、金融科技", "北京、香港、粤港澳大湾区"),
        # Hong Kong writes 人工智能 (人工智慧 is Taiwan's word; it still folds on import).
        ("zh-hant", "人工智能、先進製造、金融科技", "北京、香港、粵港澳大灣區"),
        ("en", "Artificial intelligence, Advanced manufacturing, Fintech",
         "Beijing, Hong Kong, Greater Bay Area"),
    ],
)  # fmt: skip
def test_sectors_and_regions_read_in_the_active_language(language, sectors, places):
    with translation.override(language):
        assert sectors_text(["ai", "advanced_manufacturing", "fintech"]) == sectors
        assert regions_text(["Beijing", "Hong Kong", "Greater Bay Area"]) == places


def test_values_stored_before_folding_read_the_same():
    with translation.override("zh-hans"):
        assert sectors_text(["人工智能", "ai", "Artificial intelligence"]) == "人工智能"
        assert regions_text(["北京市", "Beijing"]) == "北京"


def test_unknown_values_read_as_words_never_as_raw_codes():
    with translation.override("zh-hans"):
        assert sector_label("quantum_sensing") == "Quantum sensing"
        assert sector_label("区块链") == "区块链"
        assert region_label("Munich") == "Munich"


def test_the_interface_catalogue_wins_over_the_written_chinese_name(monkeypatch):
    """Once the catalogue translates a label, pages show the catalogue's word."""

    def catalogue(context, message):
        return (
            "智能技术" if (context, message) == ("sector", "Artificial intelligence") else message
        )

    labels._sector_index()  # built from the real catalogues, before the stand-in
    monkeypatch.setattr(translation, "pgettext", catalogue)
    with translation.override("zh-hans"):
        assert sector_label("ai") == "智能技术"
        assert sector_label("fintech") == "金融科技"  # not in it: the name written here


def test_the_interface_catalogues_own_words_fold_too(monkeypatch):
    """Whatever word the catalogues give a label, an import or form using it folds."""

    def catalogue(context, message):
        chinese = translation.get_language() != "en"
        if chinese and (context, message) == ("sector", "Artificial intelligence"):
            return "智能技术"
        return message

    monkeypatch.setattr(translation, "pgettext", catalogue)
    labels._sector_index.cache_clear()
    try:
        assert sector_code("智能技术") == "ai"
    finally:
        monkeypatch.undo()
        labels._sector_index.cache_clear()
    assert sector_code("智能技术") == "智能技术"


def test_every_known_sector_has_its_names_and_every_sector_in_use_is_known():
    assert set(SECTOR_NAMES) == set(vocabulary.SECTORS)
    for code, names in SECTOR_NAMES.items():
        assert names.en and names.zh_hans and names.zh_hant, code
        for name in (code, names.en, names.zh_hans, names.zh_hant, *names.aliases):
            assert sector_code(name) == code, name
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    used = {s for row in demo["organisations"] + demo["opportunities"] for s in row["sectors"]}
    assert used <= set(vocabulary.SECTORS)
    assert set(synthetic.SECTORS) <= set(vocabulary.SECTORS)


def test_every_known_region_is_a_place_of_the_engine_under_all_its_names():
    assert set(REGION_NAMES) == set(regions.PLACES)
    for place, names in REGION_NAMES.items():
        for name in (names.en, names.zh_hans, names.zh_hant, *names.aliases):
            assert normalise_region(name) == names.en, name
        # What is stored is what the engine reads as that place.
        assert regions.places_of([names.en]) == {place}, names.en


def test_every_place_the_engine_names_in_a_reason_reads_in_chinese():
    with translation.override("zh-hans"):
        for place in regions.PLACES:
            assert region_label(regions.label(place)) == REGION_NAMES[place].zh_hans


def test_template_filters_render_in_the_active_language():
    template = Template(
        "{% load labels %}{{ org.sectors|sectors }} · {{ org.region|region }} · "
        "{{ opp.regions|regions }} · {{ code|sector }}"
    )
    context = Context(
        {
            "org": {"sectors": ["ai", "advanced_manufacturing"], "region": "Beijing"},
            "opp": {"regions": ["Hong Kong", "Shenzhen"]},
            "code": "low_altitude",
        }
    )
    with translation.override("zh-hans"):
        assert template.render(context) == "人工智能、先进制造 · 北京 · 香港、深圳 · 低空经济"


def test_proposals_compare_and_show_sectors_and_regions_as_the_pages_do():
    # Another event's 北京 is no change to Beijing: nothing to propose to the owner.
    assert same_value("region", "Beijing", "北京市")
    assert same_value("sectors", ["ai"], ["人工智能"])
    assert not same_value("region", "Beijing", "Shanghai")
    with translation.override("zh-hans"):
        assert value_label("organisation", "sectors", ["ai", "legal"]) == "人工智能、法律服务"
        assert value_label("organisation", "region", "Hong Kong") == "香港"
