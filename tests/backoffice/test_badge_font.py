"""Badges embed their Chinese font: the PDF carries a subset of Droid Sans Fallback
(a TrueType FontFile2) with the glyphs of the names printed, not a reference to the CID
font STSong-Light that only a reader with Adobe's Chinese font pack can show.

The PDF is read here with a few regular expressions (reportlab writes no object streams),
and the embedded subset with reportlab's own TrueType reader.
"""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from superconnector.backoffice.domain import badges
from superconnector.backoffice.domain.badges import CJK_FONT_FILE, badges_pdf
from superconnector.directory.models import Participant
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db

SIMPLIFIED, TRADITIONAL = "陈浩然", "鄭麗華"
ORGANISATION_ZH = "香港貿易發展局"

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.DOTALL)
STREAM = re.compile(rb"^(<<.*>>)\s*stream\r?\n(.*?)\r?\n?endstream$", re.DOTALL)


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (its dictionary or value, its decoded stream if it has one)."""
    objects = {}
    for number, body in OBJECT.findall(pdf):
        stream = STREAM.match(body)
        if stream is None:
            objects[int(number)] = (body, None)
            continue
        head, data = stream.groups()
        if b"/ASCII85Decode" in head:  # page contents: ASCII85 over Flate
            data = base64.a85decode(data.strip(), adobe=True)
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[int(number)] = (head, data)
    return objects


def reference(head: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", head)
    return int(found.group(1)) if found else None


def to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's code -> character (bfchar entries, and bfrange runs)."""
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.DOTALL):
        for low, high, start in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(int(start, 16) + offset)
    return mapping


def embedded_cjk_fonts(pdf: bytes) -> list[tuple[bytes, dict[int, str], TTFontFile]]:
    """Each font dictionary of the Chinese font: its head, its code -> character map, and
    the TrueType file embedded for it."""
    objects = pdf_objects(pdf)
    found = []
    for head, _stream in objects.values():
        is_font = re.search(rb"/Type /Font(?![A-Za-z])", head)  # not /FontDescriptor
        if not is_font or b"DroidSansFallback" not in head:
            continue
        descriptor = objects[reference(head, b"FontDescriptor")][0]
        font_file = reference(descriptor, b"FontFile2")
        assert font_file is not None, f"the font is not embedded: {descriptor!r}"
        cmap = objects[reference(head, b"ToUnicode")][1]
        found.append((head, to_unicode(cmap), TTFontFile(io.BytesIO(objects[font_file][1]))))
    return found


def glyphs_by_code(font: TTFontFile) -> dict[int, int]:
    """Code -> glyph of a subset reportlab embedded: its cmap is one format-6 table, a
    glyph id for each code from the first."""
    cmap = font.get_table("cmap")
    (offset,) = struct.unpack(">I", cmap[8:12])
    table_format, _length, _language, first, count = struct.unpack(
        ">5H", cmap[offset : offset + 10]
    )
    assert table_format == 6
    glyphs = struct.unpack(f">{count}H", cmap[offset + 10 : offset + 10 + 2 * count])
    return {first + index: glyph for index, glyph in enumerate(glyphs)}


def has_outline(font: TTFontFile, glyph: int) -> bool:
    """Whether the glyph draws something (an empty glyph, as for a missing character in a
    font without it, has no bytes in the glyf table)."""
    return font.glyphPos[glyph + 1] > font.glyphPos[glyph]


@pytest.fixture
def sheet():
    expo = Scenario.create("expo").organisation(
        "tdc", name="Trade Development Council", name_zh=ORGANISATION_ZH
    )
    expo.participant("chen", "tdc", name="Chen Haoran", name_zh=SIMPLIFIED)
    expo.participant("cheng", "tdc", name="Cheng Lai-wah", name_zh=TRADITIONAL)
    people = Participant.objects.filter(event=expo.event).select_related(
        "person", "event_organisation__organisation"
    )
    return badges_pdf(expo.event, people)


def test_the_chinese_font_is_embedded_as_a_truetype_subset(sheet):
    fonts = embedded_cjk_fonts(sheet)
    assert fonts, "a font dictionary of the Chinese font"
    for head, _codes, _font in fonts:
        assert b"/Subtype /TrueType" in head
        # A subset's name has a six-letter tag: the PDF carries only the glyphs it prints.
        assert re.search(rb"/BaseFont /[A-Z]{6}\+DroidSansFallback", head), head
    assert b"STSong" not in sheet and b"/CIDFontType0" not in sheet
    # Subsetting keeps the sheet small beside the 4 MB font file.
    assert len(sheet) < CJK_FONT_FILE.stat().st_size / 10


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL, ORGANISATION_ZH])
def test_the_names_glyphs_are_in_the_embedded_font(sheet, text):
    glyphs = {}
    for _head, codes, font in embedded_cjk_fonts(sheet):
        by_code = glyphs_by_code(font)
        for code, char in codes.items():
            glyphs.setdefault(char, (font, by_code.get(code)))
    for char in text:
        assert char in glyphs, f"{char} is not in the embedded font"
        font, glyph = glyphs[char]
        assert glyph and has_outline(font, glyph), f"{char} has no outline"


def test_mixed_text_sets_latin_letters_in_helvetica():
    """Droid Sans Fallback has no Latin letters: "北京AI科技" is drawn in three runs."""
    badges._register_cjk_font()
    assert badges._runs("北京AI科技", badges.LATIN_FONT) == [
        (badges.CJK_FONT, "北京"),
        (badges.LATIN_FONT, "AI"),
        (badges.CJK_FONT, "科技"),
    ]
