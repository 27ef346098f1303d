"""Natural order for labels people number by hand: T1, T2, …, T10, not T1, T10, T11, T2.

Table labels (and booth names) are text, so the database and `sorted()` compare them
character by character and a venue's staff walk the table plan T1, T10, T11 … T2. This
compares the runs of digits as numbers instead.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple:
    """A sort key reading digit runs as numbers ("T2" < "T10"), letters without case;
    the label itself last, so that different labels never compare equal."""
    parts = tuple(
        (0, int(part), "") if index % 2 else (1, 0, part.casefold())
        for index, part in enumerate(_DIGITS.split(label))
        if part
    )
    return (parts, label)
