"""The opening of a long text, to show in its place on a long page (a card's first lines).

Widths are counted in columns, a Chinese character as two, so that an excerpt of Chinese
and one of English fill about the same lines on a screen: 100 columns are two lines and a
half on a phone either way, "Read more" completing the third. Pure: no models, no Django.
"""

from __future__ import annotations

import unicodedata

EXCERPT_COLUMNS = 100
# A text at most this much longer than its excerpt is shown whole: folding away a line or
# two would cost the reader a tap and save almost no space.
WHOLE_UP_TO = 4 / 3


def columns(text: str) -> int:
    """How wide `text` is in columns: two for a wide (CJK) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def excerpt(text: str, width: int = EXCERPT_COLUMNS) -> str:
    """The first `width` columns of `text` on one line, ending at a word where there is one
    near the cut, with "…"; "" when the text is short enough to show whole."""
    flat = " ".join(text.split())
    if columns(flat) <= width * WHOLE_UP_TO:
        return ""
    used, cut = 0, len(flat)
    for index, ch in enumerate(flat):
        used += columns(ch)
        if used > width:
            cut = index
            break
    head = flat[:cut]
    space = head.rfind(" ")
    # Back to the last space when the cut is inside a word, unless that loses much (a long
    # run of Chinese has no spaces: it is cut between any two characters).
    if cut < len(flat) and flat[cut] != " " and space >= cut * 3 // 4:
        head = head[:space]
    return head.rstrip(" ,.;:，。；：、") + "…"
