"""Reasons are data: a code and values, rendered from the one set of templates."""

import json
import re
import string
from pathlib import Path

import pytest
from django.core.management.utils import is_ignored_path, normalize_path_patterns

from superconnector import vocabulary
from superconnector.engine.matching import REASONS, Reason, reason, render_reason
from superconnector.engine.matching.reasons import (
    AS_WRITTEN,
    CATEGORY_LABELS,
    KIND_LABELS,
    LABEL_CONTEXT,
    LABELLED,
    LANGUAGE_LABELS,
    UNKNOWN_CATEGORY,
    UNKNOWN_KIND,
)

ROOT = Path(__file__).resolve().parents[2]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_a_reason_survives_a_json_round_trip():
    item = reason("cross_language", need_language="en", offer_language="zh-Hant")
    text = json.dumps(item.as_json())
    assert Reason.from_json(json.loads(text)) == item
    assert json.loads(text) == {
        "code": "cross_language",
        "values": {"need_language": "en", "offer_language": "zh-Hant"},
    }


def test_equal_reasons_are_one_in_a_set():
    first = reason("region_fit", places="Hong Kong")
    assert {first, reason("region_fit", places="Hong Kong"), reason("mutual")} == {
        first,
        reason("mutual"),
    }


def test_a_stored_reason_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError):
        Reason.from_json({"code": 3, "values": {}})


def test_an_unknown_code_fails_in_the_engine():
    with pytest.raises(KeyError):
        reason("no_such_reason")


def test_coded_values_are_shown_by_their_label_and_others_as_written():
    item = reason(
        "answers_need_for",
        need_category=UNKNOWN_CATEGORY,
        organisation="Acme (HK)",
        kind=UNKNOWN_KIND,
        offer_category="not_a_category",
    )
    assert render_reason(item) == (
        "Answers your need for support: Acme (HK) (an organisation) offers not_a_category"
    )
    assert render_reason(reason("provides_capital", kind="investor")) == (
        "Provides capital: an investor"
    )


def test_rendering_translates_the_template_and_the_labels_only():
    catalogue = {
        REASONS["cross_language"]: "跨语言（{need_language}，{offer_language}）",
        REASONS["matched_terms"]: "匹配词：{terms}",
        "English": "英文",
        "Simplified Chinese": "简体中文",
    }

    def translate(message: str) -> str:
        return catalogue.get(message, message)

    def translate_label(context: str, message: str) -> str:
        assert context == LABEL_CONTEXT  # labels are translated in their own context
        return catalogue.get(message, message)

    item = reason("cross_language", need_language="en", offer_language="zh-Hans")
    assert render_reason(item, translate, translate_label) == "跨语言（英文，简体中文）"
    # A matched term that happens to be a label's text is a value as written, not a label.
    matched = reason("matched_terms", terms="English")
    assert render_reason(matched, translate, translate_label) == "匹配词：English"


def test_a_reason_kept_as_written_is_shown_as_it_is():
    assert render_reason(Reason(AS_WRITTEN, {"text": "Old {sentence}"}), str.upper) == (
        "Old {sentence}"
    )


def test_the_labels_cover_their_vocabularies_and_only_them():
    assert CATEGORY_LABELS.keys() == {*vocabulary.CATEGORIES, UNKNOWN_CATEGORY}
    assert KIND_LABELS.keys() == {*vocabulary.ORGANISATION_KINDS, UNKNOWN_KIND}
    assert LANGUAGE_LABELS.keys() == set(vocabulary.LANGUAGES)


def test_every_labelled_placeholder_is_used_by_some_template():
    used = set().union(*(placeholders(t) for t in REASONS.values()))
    assert set(LABELLED) <= used


def test_every_template_renders_from_its_placeholders():
    for code, template in REASONS.items():
        values = {name: "x" for name in placeholders(template)}
        assert "{" not in render_reason(reason(code, **values)), code


def makemessages_ignores() -> list[str]:
    """The --ignore patterns of the Makefile's `translations` target."""
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(r"^MAKEMESSAGES_IGNORE :=(.*?)\n(?!\t)", makefile, re.S | re.M)
    assert block is not None
    return re.findall(r'--ignore "([^"]+)"', block.group(1))


def test_makemessages_scans_the_reasons_and_no_other_engine_file():
    patterns = makemessages_ignores()
    directories = normalize_path_patterns(patterns)
    package = ROOT / "src" / "superconnector"
    scanned = []
    for path in sorted((package / "engine").rglob("*.py")):
        relative = path.relative_to(package)
        parents = [Path(*relative.parts[: n + 1]) for n in range(len(relative.parts) - 1)]
        if any(is_ignored_path(str(p), directories) for p in parents):
            continue
        if not is_ignored_path(str(relative), patterns):
            scanned.append(relative.as_posix())
    assert scanned == ["engine/matching/reasons.py"]
