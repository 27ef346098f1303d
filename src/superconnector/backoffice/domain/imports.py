"""Imports from the back office in two steps: a dry run shown to the organiser, then the
confirmed import of exactly the file that was checked.

Both steps go through the exchange importer, which checks every row before writing and
writes all or nothing; the confirmation runs the checks again, against the data as it is
then.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.backoffice.models import StagedImport
from superconnector.events.models import Event
from superconnector.exchange.document import parse_json
from superconnector.exchange.importer import ImportReport, import_document
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet import SPREADSHEET_SUFFIXES, import_delegate_list

SUFFIXES = (".json", *SPREADSHEET_SUFFIXES)


@dataclass(frozen=True)
class ProblemRow:
    row: str
    column: str
    message: str


_SHEET_PATH = re.compile(r"^row (\d+)(?:, (?:column )?(.*))?$")
_JSON_PATH = re.compile(r"^\$\.(\w+)\[(\d+)\]\.?(.*)$")


def problem_rows(problems: list[dict]) -> list[ProblemRow]:
    """Split importer problem paths into (row, column, message) for the report table:
    'row 7, column 電郵 (email)' and '$.participants[3].email' both name a row and a column."""
    rows = []
    for problem in problems:
        path, message = problem.get("path", ""), problem.get("message", "")
        if match := _SHEET_PATH.match(path):
            rows.append(ProblemRow(match.group(1), match.group(2) or "", message))
        elif match := _JSON_PATH.match(path):
            rows.append(ProblemRow(f"{match.group(1)}[{match.group(2)}]", match.group(3), message))
        else:
            rows.append(ProblemRow("", path, message))
    return rows


def kind_of(filename: str) -> str | None:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".json":
        return StagedImport.Kind.EXCHANGE
    if suffix in SPREADSHEET_SUFFIXES:
        return StagedImport.Kind.SPREADSHEET
    return None


def _run(staged: StagedImport, event: Event, *, dry_run: bool, actor=None) -> ImportReport:
    content = bytes(staged.content)
    if staged.kind == StagedImport.Kind.SPREADSHEET:
        return import_delegate_list(
            content, staged.filename, event.slug, dry_run=dry_run, actor=actor
        )
    data = parse_json(content, staged.filename)
    slug = data.get("event", {}).get("slug") if isinstance(data, dict) else None
    if isinstance(slug, str) and slug != event.slug:
        # An exchange file names its event; importing it here must not touch another one.
        raise ImportRejected(
            [
                Problem(
                    "$.event.slug",
                    _('the file is for the event "%(other)s", not "%(this)s"')
                    % {"other": slug, "this": event.slug},
                )
            ],
            staged.filename,
        )
    return import_document(data, dry_run=dry_run, source=staged.filename, actor=actor)


def stage_import(event: Event, user, filename: str, content: bytes) -> StagedImport:
    """Dry-run an upload and keep it for confirmation; writes nothing to the event."""
    kind = kind_of(filename)
    if kind is None:
        raise ValueError(f"unsupported file type: {filename}")
    # One pending file per organiser and event: an older unconfirmed one is replaced.
    StagedImport.objects.filter(event=event, created_by=user, applied_at__isnull=True).delete()
    staged = StagedImport(
        event=event,
        created_by=user,
        filename=PurePath(filename).name[:255],
        kind=kind,
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
    )
    try:
        report = _run(staged, event, dry_run=True, actor=user)
    except ImportRejected as rejected:
        staged.ok, staged.report = False, rejected.as_dict()
    else:
        staged.ok, staged.report = True, report.as_dict()
    staged.save()
    return staged


def apply_import(staged: StagedImport, user) -> ImportReport:
    """Import the checked file for real, all or nothing. Raises ImportRejected (and records
    the new problems on `staged`) if the event changed so that it no longer fits."""
    if not staged.ok or staged.applied_at is not None:
        raise ImportRejected([Problem("$", _("this file cannot be imported"))], staged.filename)
    try:
        with transaction.atomic():
            report = _run(staged, staged.event, dry_run=False, actor=user)
            staged.applied_at, staged.report = timezone.now(), report.as_dict()
            staged.save(update_fields=["applied_at", "report"])
    except ImportRejected as rejected:
        staged.ok, staged.report = False, rejected.as_dict()
        staged.save(update_fields=["ok", "report"])
        raise
    return report
