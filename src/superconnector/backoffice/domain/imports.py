"""Imports from the back office in two steps: a dry run shown to the organiser, then the
confirmed import of exactly the file that was checked.

Both steps go through the exchange importer, which checks every row before writing and
writes all or nothing; the confirmation runs the checks again, against the data as it is
then. Both run as background runs (core/domain/runs.py; the tasks are in backoffice.tasks),
never inside a web request: a 100,000-row list takes longer to check than a request may
last (gunicorn's 30-second timeout). The request stores the file and queues the task
(backoffice/uploads.py); the import page follows the run's status, stage and
progress as the runs page does. This module does the work.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.core.domain.runs import Progress, execute_run, finish_run
from superconnector.core.models.run import ACTIVE_STATUSES
from superconnector.events.models import Event
from superconnector.exchange.document import parse_json
from superconnector.exchange.importer import ImportReport, import_document
from superconnector.exchange.models import StagedImport
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet import SPREADSHEET_SUFFIXES, import_delegate_list

SUFFIXES = (".json", *SPREADSHEET_SUFFIXES)

# Stages, stored in English (the upload is data) and shown in the reader's language.
STAGE_READING = "reading the file"
STAGE_CHECKING = "checking every row"
STAGE_WRITING = "checking again and writing"
STAGE_LABELS = {
    STAGE_READING: gettext_lazy("reading the file"),
    STAGE_CHECKING: gettext_lazy("checking every row"),
    STAGE_WRITING: gettext_lazy("checking again and writing"),
}
ACTIVE = ACTIVE_STATUSES
# What the tasks change and the page follows.
FOLLOWED_FIELDS = [
    "ok",
    "report",
    "applied_at",
    "task",
    "status",
    "stage",
    "progress",
    "error",
    "queued_at",
    "started_at",
    "finished_at",
]


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


def _run(
    staged: StagedImport, event: Event, progress: Progress, *, dry_run: bool, actor=None
) -> ImportReport:
    content = bytes(staged.content)
    stage = STAGE_CHECKING if dry_run else STAGE_WRITING
    if staged.kind == StagedImport.Kind.SPREADSHEET:
        progress(stage, 0.2)
        return import_delegate_list(
            content, staged.filename, event.slug, dry_run=dry_run, actor=actor
        )
    data = parse_json(content, staged.filename)
    progress(stage, 0.2)
    # An exchange file names its event; importing it here must not touch another one. (Any
    # other shape is left to the importer, which names what is wrong with it.)
    named = data.get("event") if isinstance(data, dict) else None
    slug = named.get("slug") if isinstance(named, dict) else None
    if isinstance(slug, str) and slug != event.slug:
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


def check_upload_work(staged: StagedImport, progress: Progress) -> None:
    """The dry run of a stored upload, as a background run: record its report (or its
    problems) and, if the file is fit to import, retire the organiser's earlier
    unconfirmed uploads of this event, which it replaces."""
    progress(STAGE_READING, 0.05)
    try:
        report = _run(staged, staged.event, progress, dry_run=True, actor=staged.created_by)
    except ImportRejected as rejected:
        ok, result = False, rejected.as_dict()
    else:
        ok, result = True, report.as_dict()
    # The run ends here, with the retirement: both are written or neither.
    with transaction.atomic():
        _finish_with_report(staged, ok=ok, report=result)
        if ok:
            _retire_earlier_uploads(staged)


def _retire_earlier_uploads(staged: StagedImport) -> None:
    """One pending file per organiser and event, but only ever replaced by one that checked
    out: an upload with problems, or one whose check crashed, leaves the earlier one as it
    was. An earlier file still being checked or imported is left alone too."""
    earlier = StagedImport.objects.filter(
        event_id=staged.event_id,
        created_by_id=staged.created_by_id,
        applied_at__isnull=True,
        pk__lt=staged.pk,
    ).exclude(status__in=ACTIVE)
    earlier.delete()


def apply_import(staged: StagedImport, user) -> StagedImport:
    """The confirmed import, here and now (the task runs import_checked_file)."""
    return execute_run(staged, partial(import_checked_file, actor=user))


def import_checked_file(staged: StagedImport, progress: Progress, *, actor=None) -> None:
    """Import the checked file for real, all or nothing, as a background run. If the event
    changed so that the file no longer fits, its new problems are recorded on `staged`
    (ok becomes False) and nothing is written."""
    if not staged.ok or staged.applied_at is not None:
        # Queued twice somehow, or re-checked meanwhile: nothing to do, and nothing to undo.
        finish_run(staged, stage="")
        return
    progress(STAGE_READING, 0.05)
    try:
        # No transaction around it: the importer writes in its own, all or nothing, after
        # reading and checking the file. One around everything would hold SQLite's write
        # lock (transactions begin IMMEDIATE) while the file is read and checked too,
        # stalling every delegate's write for that long. Should the worker die between the
        # import and the line below, confirming again is harmless: the import is idempotent.
        report = _run(staged, staged.event, progress, dry_run=False, actor=actor)
        _finish_with_report(staged, ok=True, report=report.as_dict(), applied=True)
    except ImportRejected as rejected:
        _finish_with_report(staged, ok=False, report=rejected.as_dict())


def _finish_with_report(
    staged: StagedImport, *, ok: bool, report: dict, applied: bool = False
) -> None:
    """The run's end with the importer's answer (an import keeps a report, not figures)."""
    fields = {"ok": ok, "report": _without_nul(report), "stage": ""}
    if applied:
        fields["applied_at"] = timezone.now()
    finish_run(staged, **fields)


def _without_nul(value):
    """PostgreSQL stores no NUL character (nor \\u0000 in JSON): a problem that quotes one
    from the file must still be recorded."""
    if isinstance(value, str):
        return value.replace("\x00", "\\x00")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


# The importer reports no progress of its own: inside its long stage the page estimates it
# from the file's size at this pace (bench/imports.py, SQLite and PostgreSQL alike: about a
# quarter of a megabyte of CSV a second on two busy cores), never past 95% before it ends.
ESTIMATED_BYTES_PER_SECOND = 250_000


def displayed_progress(staged: StagedImport, now: dt.datetime | None = None) -> float:
    """The fraction to show; inside the checking or writing stage, estimated from the time."""
    if staged.status == StagedImport.Status.DONE:
        return 1.0
    if staged.stage in (STAGE_CHECKING, STAGE_WRITING) and staged.started_at:
        elapsed = ((now or timezone.now()) - staged.started_at).total_seconds()
        expected = max(2.0, staged.size / ESTIMATED_BYTES_PER_SECOND)
        return max(staged.progress, min(0.95, 0.2 + 0.75 * elapsed / expected))
    return staged.progress


def displayed_stage(staged: StagedImport) -> str:
    return str(STAGE_LABELS.get(staged.stage, staged.stage))
