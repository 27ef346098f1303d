"""The committed catalogues are complete, derived consistently, and compiled."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from opencc_purepy import OpenCC

from tests.core.test_traditional_catalogue import tool

LOCALE = Path(__file__).resolve().parents[2] / "src" / "superconnector" / "locale"


def entries(po: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry but the header."""
    found = []
    for block in po.split("\n\n"):
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)? ?"(.*)"$', block.split("msgstr")[0], re.M)
        )
        msgstr = (
            "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1])) if "msgstr" in block else ""
        )
        if msgid:
            found.append((msgid, msgstr, "#, fuzzy" in block))
    return found


def test_every_interface_string_has_a_simplified_translation():
    po = (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    rows = entries(po)
    assert len(rows) > 300
    assert [m for m, s, _ in rows if not s] == []
    assert [m for m, _, fuzzy in rows if fuzzy] == []


def test_the_traditional_catalogue_is_derived_from_the_simplified_one():
    simplified = (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    traditional = (LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    derived = tool.convert_catalogue(simplified, OpenCC("s2hk"))
    # Compared entry by entry: line wrapping may differ after gettext tools rewrap files.
    assert entries(traditional) == entries(derived)


@pytest.mark.parametrize(("language", "sign_in"), [("zh-hans", "登录"), ("zh-hant", "登入")])
def test_the_compiled_catalogues_translate_the_interface(language, sign_in):
    with translation.override(language):
        assert translation.gettext("Sign in") == sign_in
        assert translation.gettext("My agenda") != "My agenda"
