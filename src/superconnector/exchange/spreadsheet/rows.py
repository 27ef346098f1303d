"""A delegate list's rows checked cell by cell, every problem named by row and column.

A list is imported only when every row passes; the rows that do become Delegates, with
their organisation kinds, roles and languages read through the aliases (aliases.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from superconnector.exchange.document import field_limits
from superconnector.exchange.problems import Problem
from superconnector.exchange.spreadsheet.aliases import (
    COLUMN_OF,
    COLUMNS,
    KIND_WORDS,
    LANGUAGE_OF,
    REQUIRED,
    ROLE_WORDS,
    fold,
    kind_code,
    role_code,
)
from superconnector.exchange.spreadsheet.reading import Sheet

_LIST_SPLIT = re.compile(r"[,;/、，；|]+")


def map_columns(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column index; problems for missing required columns or a field named twice."""
    columns: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        field = COLUMN_OF.get(fold(title))
        if field is None:
            continue
        if field in columns:
            problems.append(
                Problem(
                    f"row 1, column {title}",
                    f"a second column for {field} (the first is {header[columns[field]]!r})",
                )
            )
            continue
        columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            names = ", ".join(
                COLUMNS[field][:3] + tuple(a for a in COLUMNS[field] if not a.isascii())[:3]
            )
            problems.append(Problem("row 1", f"no column for {field} (name it one of: {names})"))
    return columns, problems


@dataclass
class Delegate:
    row: int
    name: str
    email: str
    organisation: str
    name_zh: str = ""
    title: str = ""
    phone: str = ""
    kind: str = ""
    region: str = ""
    sectors: tuple[str, ...] = ()
    role: str = ""
    languages: tuple[str, ...] = ()
    key: str = ""


def check_rows(sheet: Sheet, columns: dict[str, int]) -> tuple[list[Delegate], list[Problem]]:
    delegates, problems = [], []
    seen_emails: dict[str, int] = {}
    for offset, cells in enumerate(sheet.rows):
        number = offset + 2

        def cell(field: str, cells=cells) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def where(field: str, number=number) -> str:
            return f"row {number}, column {sheet.header[columns[field]]} ({field})"

        row_problems = []
        for field in REQUIRED:
            if not cell(field):
                row_problems.append(Problem(where(field), "is empty"))
        if value_problems := cell_value_problems({field: cell(field) for field in columns}, where):
            # The other checks would only quote the same unusable value again.
            problems.extend(row_problems + value_problems)
            continue
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(
                    Problem(where("email"), f"{cell('email')!r} is not a valid e-mail address")
                )
            if email in seen_emails:
                row_problems.append(
                    Problem(where("email"), f"{email} is also on row {seen_emails[email]}")
                )
            else:
                seen_emails[email] = number
        kind = kind_code(cell("kind")) if cell("kind") else ""
        if cell("kind") and not kind:
            row_problems.append(
                Problem(
                    where("kind"),
                    f"unknown organisation type {cell('kind')!r} "
                    f"(use one of {', '.join(KIND_WORDS)})",
                )
            )
        role = role_code(cell("role")) if cell("role") else ""
        if cell("role") and not role:
            row_problems.append(
                Problem(
                    where("role"),
                    f"unknown role {cell('role')!r} (use one of {', '.join(ROLE_WORDS)})",
                )
            )
        key = cell("key")
        if key and not re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", key):
            row_problems.append(
                Problem(where("key"), f"{key!r} is not a valid key (letters, digits, - _ .)")
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        delegates.append(
            Delegate(
                row=number,
                name=cell("name"),
                name_zh=cell("name_zh"),
                email=email,
                organisation=cell("organisation"),
                title=cell("title"),
                phone=cell("phone"),
                kind=kind,
                region=cell("region"),
                sectors=tuple(_split(cell("sectors"))),
                role=role,
                languages=tuple(
                    LANGUAGE_OF.get(fold(w), w.lower()) for w in _split(cell("languages"))
                ),
                key=key,
            )
        )
    return delegates, problems


# Where each column ends up, for its length limit (the column's max_length).
CELL_LIMITS = {
    "name": ("participants", "name"),
    "name_zh": ("participants", "name_zh"),
    "title": ("participants", "title"),
    "email": ("participants", "email"),
    "phone": ("participants", "phone"),
    "key": ("participants", "key"),
    "organisation": ("organisations", "name"),
    "region": ("organisations", "region"),
}
# Cells that can reach an e-mail header (a name, a job title, an organisation's name).
HEADER_CELLS = ("name", "name_zh", "title", "organisation")


def cell_value_problems(cells: dict[str, str], where: Callable[[str], str]) -> list[Problem]:
    """What no cell may hold, as the exchange document's checks refuse it (document.py): a
    NUL character (PostgreSQL stores none), more text than its column holds, or a line
    break in a name or title that goes into a mail header. `where(field)` names the cell."""
    limits = field_limits()
    problems = []
    for field, value in cells.items():
        if "\x00" in value:
            problems.append(Problem(where(field), "contains a NUL character, which no text may"))
            continue
        if field in CELL_LIMITS:
            limit = limits[CELL_LIMITS[field][0]][CELL_LIMITS[field][1]]
            if len(value) > limit:
                problems.append(
                    Problem(
                        where(field), f"is {len(value):,} characters long; at most {limit:,} fit"
                    )
                )
        if field in HEADER_CELLS and ("\r" in value or "\n" in value):
            problems.append(
                Problem(
                    where(field),
                    "contains a line break; names and titles go into e-mail headers and must "
                    "be on one line",
                )
            )
    return problems


def _split(text: str) -> Iterable[str]:
    return (part.strip() for part in _LIST_SPLIT.split(text) if part.strip())
