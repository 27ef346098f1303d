"""Name badges as a PDF: eight to an A4 sheet, each with a QR code of the check-in token.

Latin text is set in Helvetica; Chinese (Simplified and Traditional) in Droid Sans
Fallback, a TrueType font shipped in backoffice/fonts/ (Apache 2.0, its licence beside it)
and embedded in the PDF as a subset of the characters printed. Reportlab's CID font
STSong-Light, used before, is never embedded: a printer or viewer without Adobe's Chinese
font pack substituted another font or showed nothing. Debian's Noto CJK fonts are CFF
collections, which reportlab cannot embed. Droid Sans Fallback has no Latin letters at
all, so mixed text ("北京AI科技") is drawn in runs, each character in the font that has it.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext as _

from superconnector.directory.domain.checkin import badge_token
from superconnector.directory.models import Participant
from superconnector.events.models import Event

LATIN_FONT, LATIN_BOLD, CJK_FONT = "Helvetica", "Helvetica-Bold", "DroidSansFallback"
CJK_FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "DroidSansFallbackFull.ttf"
COLUMNS, ROWS = 2, 4


def _register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(CJK_FONT, str(CJK_FONT_FILE)))


def _in_latin_font(char: str) -> bool:
    """Whether Helvetica has the character: reportlab sets its standard fonts in the
    Windows Latin-1 encoding (Latin-1 plus curly quotes, dashes and the ellipsis)."""
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _runs(text: str, latin: str) -> list[tuple[str, str]]:
    """`text` cut into (font, piece) runs: Latin characters in the font `latin`, the rest
    (Chinese above all) in the CJK font, which has no Latin letters."""
    return [
        (font, "".join(chars))
        for font, chars in itertools.groupby(
            text, key=lambda char: latin if _in_latin_font(char) else CJK_FONT
        )
    ]


def _width(text: str, latin: str, size: float) -> float:
    """The drawn width of `text` at `size`, each run in its own font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)

    return sum(stringWidth(piece, font, size) for font, piece in _runs(text, latin))


def _has_cjk(text: str) -> bool:
    return any(not _in_latin_font(char) for char in text)


def _draw_runs(canvas, text: str, x: float, y: float, latin: str, size: float) -> None:
    """Draw `text` from (x, y), each run in its font, one after the other."""
    from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)

    for font, piece in _runs(text, latin):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, font, size)


def _fitted_size(text: str, latin: str, largest: float, width: float, smallest: float = 7) -> float:
    size = largest
    while size > smallest and _width(text, latin, size) > width:
        size -= 0.5
    return size


def _draw_text(canvas, text: str, x: float, y: float, width: float, size: float, bold=False):
    latin = LATIN_BOLD if bold else LATIN_FONT
    _draw_runs(canvas, text, x, y, latin, _fitted_size(text, latin, size, width))


def _split_to_fit(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line cut into pieces that fit (Chinese names have no spaces)."""
    pieces, piece = [], ""
    for char in word:
        if piece and _width(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _words(text: str) -> list[str]:
    """The places a line may break: spaces, and after a hyphen."""
    return [part for word in text.split() for part in word.replace("-", "- ").split()]


def _wrapped(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in lines no wider than `width` at `size`, broken between words (and after
    hyphens); a word too long for a line is cut between characters."""
    lines: list[str] = []
    for word in _words(text):
        # After a hyphen inside a word ("Leung-Fitzgerald") nothing; after a word, a space.
        hyphenated = lines and lines[-1].endswith("-") and not lines[-1].endswith(" -")
        joiner = "" if not lines or (hyphenated and lines[-1] != "-") else " "
        if lines and _width(lines[-1] + joiner + word, font, size) <= width:
            lines[-1] += joiner + word
        else:
            lines.extend(_split_to_fit(word, font, size, width))
    return lines


def name_lines(
    text: str, font: str, largest: float, width: float, smallest: float = 8, most: int = 2
) -> tuple[float, list[str]]:
    """The largest size at which `text` fits `width` in at most `most` lines, and those
    lines (`font` sets its Latin characters; Chinese ones are in CJK_FONT). One line is
    tried first down to two thirds of `largest`: a long name then wraps
    rather than shrinks. Too long even at `smallest`: cut into lines of that size, the last
    ending in "…". Latin names are cut inside a word only at `smallest`; Chinese ones,
    which have no spaces, between any characters. No line is ever wider than `width`, so
    names stay clear of the QR code."""

    def sizes(low: float) -> list[float]:
        return [largest - step / 2 for step in range(int((largest - low) * 2) + 1)]

    def whole_words(lines: list[str]) -> bool:
        return _has_cjk(text) or sum(len(_words(line)) for line in lines) == len(_words(text))

    for size in sizes(largest * 2 / 3):
        if _width(text, font, size) <= width:
            return size, [text]
    for size in sizes(smallest):
        lines = _wrapped(text, font, size, width)
        if len(lines) <= most and (whole_words(lines) or size == smallest):
            return size, lines
    lines = _wrapped(text, font, smallest, width)
    if len(lines) > most:
        last = lines[most - 1]
        while last and _width(last + "…", font, smallest) > width:
            last = last[:-1]
        lines = [*lines[: most - 1], last + "…"]
    return smallest, lines


def _draw_name(canvas, text: str, x: float, y: float, width: float, size: float) -> None:
    """The person's name, wrapped upwards from the baseline `y` within `width`."""
    size, lines = name_lines(text, LATIN_BOLD, size, width)
    for number, line in enumerate(reversed(lines)):
        _draw_runs(canvas, line, x, y + number * size * 1.15, LATIN_BOLD, size)


def _draw_qr(canvas, value: str, x: float, y: float, size: float, border: int = 2) -> None:
    """The QR code as one filled path of its dark runs: drawing it through reportlab's
    widget builds a shape object per module and encodes the code twice (3x slower)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)

    qr = QrCodeWidget(value, barLevel="M").qr
    qr.make()
    modules = qr.modules
    box = size / (len(modules) + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        column = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            length = len(list(run))
            if dark:
                top = y + size - (r + border + 1) * box
                path.rect(x + (column + border) * box, top, length * box, box)
            column += length
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)


def badges_pdf(event: Event, participants: Iterable[Participant]) -> bytes:
    """One badge per participant (load them with person and organisation)."""
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)
    from reportlab.lib.units import mm  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415 (reportlab takes about 0.5 s to import; only badge sheets need it)

    _register_cjk_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{event.name} badges")
    page_width, page_height = A4
    margin = 10 * mm
    width = (page_width - 2 * margin) / COLUMNS
    height = (page_height - 2 * margin) / ROWS
    qr_size = 30 * mm
    per_page = COLUMNS * ROWS
    count = 0
    for count, participant in enumerate(participants, start=1):
        index = (count - 1) % per_page
        if index == 0 and count > 1:
            canvas.showPage()
        column, row = index % COLUMNS, index // COLUMNS
        x = margin + column * width
        y = page_height - margin - (row + 1) * height
        canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
        canvas.setDash(2, 2)
        canvas.rect(x, y, width, height)  # cutting guide
        canvas.setDash()
        pad = 6 * mm
        text_width = width - 2 * pad - qr_size
        canvas.setFillColorRGB(0.69, 0.07, 0.17)
        _draw_text(
            canvas, event.name_zh or event.name, x + pad, y + height - pad - 8, width - 2 * pad, 9
        )
        canvas.setFillColorRGB(0.11, 0.15, 0.2)
        person = participant.person
        if person.name_zh and person.name_zh != person.name:
            # Both names: the Chinese one above the Latin one, as on a business card.
            _draw_text(canvas, person.name_zh, x + pad, y + height / 2 + 28, text_width, 16)
        _draw_name(canvas, person.name, x + pad, y + height / 2 + 4, text_width, 20)
        organisation = participant.event_organisation.organisation
        _draw_text(canvas, organisation.name, x + pad, y + height / 2 - 14, text_width, 11)
        if organisation.name_zh and organisation.name_zh != organisation.name:
            _draw_text(canvas, organisation.name_zh, x + pad, y + height / 2 - 28, text_width, 10)
        if participant.person.title:
            _draw_text(canvas, participant.person.title, x + pad, y + pad + 10, text_width, 9)
        _draw_text(canvas, participant.get_role_display(), x + pad, y + pad, text_width, 8)
        _draw_qr(
            canvas,
            badge_token(participant),
            x + width - pad - qr_size,
            y + (height - qr_size) / 2,
            qr_size,
        )
    if count == 0:
        canvas.setFont(LATIN_FONT, 12)
        canvas.drawString(margin, page_height - margin - 12, str(_("No delegates.")))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
