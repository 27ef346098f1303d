"""Long names on badges wrap onto a second line and stay clear of the QR code.

Names used to shrink to 7 pt and then run on, under the QR code, however long they were.
"""

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from superconnector.backoffice.domain import badges
from superconnector.backoffice.domain.badges import CJK_FONT, LATIN_BOLD, badges_pdf, name_lines
from superconnector.directory.models import Participant
from tests.scenario import Scenario

WIDTH = 150.0  # about the room beside the QR code on an A4 sheet of eight
LONG_NAMES = [
    "Alexandra Featherstonehaugh-Montgomery",
    "Mohammed bin Abdulrahman bin Abdulaziz Al Saud",
    "Dr. Christopher Alexander Wellington-Smythe III",
    "Pneumonoultramicroscopicsilicovolcanoconiosis Smith",
]


@pytest.fixture(autouse=True)
def cjk_font():
    badges._register_cjk_font()


def test_short_names_keep_one_line_at_full_size():
    assert name_lines("Amy Leung", LATIN_BOLD, 20, WIDTH) == (20, ["Amy Leung"])
    assert name_lines("陈浩然", LATIN_BOLD, 20, WIDTH) == (20, ["陈浩然"])


@pytest.mark.parametrize("name", LONG_NAMES)
def test_long_names_wrap_within_the_width_without_losing_a_letter(name):
    size, lines = name_lines(name, LATIN_BOLD, 20, WIDTH)
    assert len(lines) == 2 and size >= 8
    assert all(stringWidth(line, LATIN_BOLD, size) <= WIDTH for line in lines)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    # Larger than one line would allow: wrapping, not shrinking, is what made room.
    assert stringWidth(name, LATIN_BOLD, size) > WIDTH


def test_a_name_between_words_where_it_can():
    size, lines = name_lines(
        "Dr. Christopher Alexander Wellington-Smythe III", LATIN_BOLD, 20, WIDTH
    )
    assert lines == ["Dr. Christopher Alexander", "Wellington-Smythe III"]
    assert size > 10


def test_long_chinese_names_break_between_characters():
    name = "欧阳娜娜·阿卜杜勒·阿齐兹·穆罕默德·本·萨勒曼"
    size, lines = name_lines(name, CJK_FONT, 20, WIDTH)
    assert len(lines) == 2 and "".join(lines) == name
    assert all(stringWidth(line, CJK_FONT, size) <= WIDTH for line in lines)


def test_a_name_too_long_for_two_lines_ends_in_an_ellipsis_within_the_width():
    size, lines = name_lines("X" * 80, LATIN_BOLD, 20, WIDTH)
    assert size == 8 and len(lines) == 2 and lines[-1].endswith("…")
    assert all(stringWidth(line, LATIN_BOLD, size) <= WIDTH for line in lines)


@pytest.mark.django_db
def test_no_text_on_a_badge_runs_into_its_qr_code(monkeypatch):
    expo = Scenario.create("expo").organisation("law", name="Harbour Law")
    for n, name in enumerate(
        [*LONG_NAMES, "Amy Leung", "欧阳娜娜·阿卜杜勒·阿齐兹·穆罕默德·本·萨勒曼"]
    ):
        expo.participant(f"p{n}", "law", name=name)
    drawn, codes = [], []
    original_draw, original_qr = Canvas.drawString, badges._draw_qr

    def draw_string(canvas, x, y, text, *args, **kwargs):
        width = stringWidth(text, canvas._fontname, canvas._fontsize)
        drawn.append((canvas.getPageNumber(), text, x, x + width, y))
        return original_draw(canvas, x, y, text, *args, **kwargs)

    def draw_qr(canvas, value, x, y, size, *args, **kwargs):
        codes.append((canvas.getPageNumber(), x, y, size))
        return original_qr(canvas, value, x, y, size, *args, **kwargs)

    monkeypatch.setattr(Canvas, "drawString", draw_string)
    monkeypatch.setattr(badges, "_draw_qr", draw_qr)
    people = Participant.objects.filter(event=expo.event).select_related(
        "person", "event_organisation__organisation"
    )
    assert badges_pdf(expo.event, people).startswith(b"%PDF")

    assert len(codes) == len(LONG_NAMES) + 2
    shown = [text for _, text, *_ in drawn]
    assert any(text.startswith("Alexandra") for text in shown) and "Amy Leung" in shown
    for page, x, y, size in codes:  # the text of the same badge: left of its code, level with it
        beside = [
            (text, right)
            for on_page, text, left, right, baseline in drawn
            if on_page == page and x - 160 < left < x and y - 20 <= baseline <= y + size
        ]
        assert beside, "the badge's name and organisation are drawn beside its code"
        assert all(right <= x for _, right in beside), beside
