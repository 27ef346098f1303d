"""Importing a delegate list: read the file, check every row, then import the delegates and
their organisations in one transaction, with any problem named by spreadsheet row."""

from __future__ import annotations

import re

from superconnector.events.models import Event
from superconnector.exchange.importer import ImportReport, import_document
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet.build import build_document
from superconnector.exchange.spreadsheet.reading import read_sheet
from superconnector.exchange.spreadsheet.rows import Delegate, check_rows, map_columns


def import_delegate_list(
    data: bytes,
    filename: str,
    event_slug: str,
    *,
    dry_run: bool = False,
    source: str = "",
    actor=None,
) -> ImportReport:
    """Check every row, then import the delegates and their organisations in one transaction."""
    source = source or filename
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise ImportRejected([Problem("--event", f'no event with slug "{event_slug}"')], source)
    try:
        sheet = read_sheet(data, filename)
    except ImportRejected as rejected:
        rejected.source = source
        raise
    columns, problems = map_columns(sheet.header)
    if problems:
        raise ImportRejected(problems, source)
    delegates, problems = check_rows(sheet, columns)
    if problems:
        raise ImportRejected(problems, source)
    assumed: dict[str, dict[str, set[str]]] = {}
    document = build_document(event, delegates, assumed)
    try:
        return import_document(
            document, dry_run=dry_run, source=source, actor=actor, assumed=assumed
        )
    except ImportRejected as rejected:
        rejected.problems = [_to_row_problem(p, delegates) for p in rejected.problems]
        raise


def _to_row_problem(problem: Problem, delegates: list[Delegate]) -> Problem:
    """Translate $.participants[i].field back to the spreadsheet row it came from."""
    match = re.match(r"\$\.participants\[(\d+)\]\.?(\w*)", problem.path)
    if not match:
        return problem
    delegate = delegates[int(match.group(1))]
    field = f", {match.group(2)}" if match.group(2) else ""
    return Problem(f"row {delegate.row}{field}", problem.message)
