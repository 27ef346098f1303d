"""Imports from the back office in two steps: a dry run shown to the organiser, then the
confirmed import of exactly the file that was checked.

Both steps go through the exchange importer, which checks every row before writing and
writes all or nothing; the confirmation runs the checks again, against the data as it is
then. Both run as background tasks (backoffice.tasks), never inside a web request: a
100,000-row list takes longer to check than a request may last (gunicorn's 30-second
timeout). The request stores the file and queues the task; the import page follows the
task's status, stage and progress as the runs page does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.backoffice.models import StagedImport
from superconnector.events.models import Event
from superconnector.exchange.document import parse_json
from superconnector.exchange.importer import ImportReport, import_document
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.spreadsheet import SPREADSHEET_SUFFIXES, import_delegate_list

SUFFIXES = (".json", *SPREADSHEET_SUFFIXES)
logger = logging.getLogger(__name__)

# Stages, stored in English (the upload is data) and shown in the reader's language.
STAGE_READING = "reading the file"
STAGE_CHECKING = "checking every row"
STAGE_WRITING = "checking again and writing"
STAGE_LABELS = {
    STAGE_READING: gettext_lazy("reading the file"),
    STAGE_CHECKING: gettext_lazy("checking every row"),
    STAGE_WRITING: gettext_lazy("checking again and writing"),
}
ACTIVE = (StagedImport.Status.QUEUED, StagedImport.Status.RUNNING)
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
# A task still "running" after this long died with its worker: the import may be confirmed
# (or retried) again. The biggest list allowed takes minutes, not hours.
STALE_AFTER = dt.timedelta(hours=1)


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
    stage = STAGE_CHECKING if dry_run else STAGE_WRITING
    if staged.kind == StagedImport.Kind.SPREADSHEET:
        _save_progress(staged, stage, 0.2)
        return import_delegate_list(
            content, staged.filename, event.slug, dry_run=dry_run, actor=actor
        )
    data = parse_json(content, staged.filename)
    _save_progress(staged, stage, 0.2)
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


def stage_import(event: Event, user, filename: str, content: bytes) -> StagedImport:
    """Store an upload and queue its check (check_staged_import) once the upload is saved.

    Nothing is checked in the request, and nothing the organiser uploaded before is
    discarded here: an earlier unconfirmed upload is replaced only once this one's check
    has succeeded (see check_staged_import).
    """
    from superconnector.backoffice.tasks import check_upload  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    kind = kind_of(filename)
    if kind is None:
        raise ValueError(f"unsupported file type: {filename}")
    staged = StagedImport.objects.create(
        event=event,
        created_by=user,
        # No NUL byte reaches a PostgreSQL column, whatever the browser sent.
        filename=PurePath(filename).name.replace("\x00", "")[:255],
        kind=kind,
        content=content,
        digest=hashlib.sha256(content).hexdigest(),
        size=len(content),
        task=StagedImport.Task.CHECK,
        status=StagedImport.Status.QUEUED,
        queued_at=timezone.now(),
    )
    # Queued once the upload is stored, not on commit: with the database backend the task
    # row joins a caller's transaction if there is one (stored together or not at all).
    check_upload.enqueue(staged.pk)
    staged.refresh_from_db(fields=FOLLOWED_FIELDS)
    return staged


def check_staged_import(staged: StagedImport) -> StagedImport:
    """The dry run of a stored upload, as a background task: record its report (or its
    problems) and, if the file is fit to import, retire the organiser's earlier
    unconfirmed uploads of this event, which it replaces."""
    _save_progress(staged, STAGE_READING, 0.05, started=True)
    try:
        report = _run(staged, staged.event, dry_run=True, actor=staged.created_by)
    except ImportRejected as rejected:
        ok, result = False, rejected.as_dict()
    except Exception as exc:
        _save_failure(staged, exc)
        raise
    else:
        ok, result = True, report.as_dict()
    with transaction.atomic():
        _save_outcome(staged, ok=ok, report=result)
        if ok:
            _retire_earlier_uploads(staged)
    return staged


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


def start_apply(staged: StagedImport, user) -> bool:
    """Queue the confirmed import of a checked upload. False if it is already queued or
    running (a second click, or a colleague's); ImportRejected if it cannot be imported."""
    from superconnector.backoffice.tasks import apply_upload  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    if not staged.ok or staged.applied_at is not None:
        raise ImportRejected([Problem("$", _("this file cannot be imported"))], staged.filename)
    stale = timezone.now() - STALE_AFTER
    # One conditional UPDATE: of two clicks at the same moment, one queues the import.
    queued = (
        StagedImport.objects.filter(pk=staged.pk, ok=True, applied_at__isnull=True)
        .exclude(
            Q(task=StagedImport.Task.APPLY)
            & (
                Q(status=StagedImport.Status.QUEUED, queued_at__gt=stale)
                | Q(status=StagedImport.Status.RUNNING, started_at__gt=stale)
            )
        )
        .update(
            task=StagedImport.Task.APPLY,
            status=StagedImport.Status.QUEUED,
            stage="",
            progress=0.0,
            error="",
            queued_at=timezone.now(),
            started_at=None,
            finished_at=None,
        )
    )
    if queued:
        apply_upload.enqueue(staged.pk, getattr(user, "pk", None))  # as in stage_import
    staged.refresh_from_db(fields=FOLLOWED_FIELDS)
    return bool(queued)


def apply_import(staged: StagedImport, user) -> StagedImport:
    """Import the checked file for real, all or nothing, as a background task. If the event
    changed so that the file no longer fits, its new problems are recorded on `staged`
    (ok becomes False) and nothing is written."""
    if not staged.ok or staged.applied_at is not None:
        # Queued twice somehow, or re-checked meanwhile: nothing to do, and nothing to undo.
        StagedImport.objects.filter(pk=staged.pk).update(
            status=StagedImport.Status.DONE, progress=1.0, finished_at=timezone.now()
        )
        return staged
    _save_progress(staged, STAGE_READING, 0.05, started=True)
    try:
        # No transaction around it: the importer writes in its own, all or nothing, after
        # reading and checking the file. One around everything would hold SQLite's write
        # lock (transactions begin IMMEDIATE) while the file is read and checked too,
        # stalling every delegate's write for that long. Should the worker die between the
        # import and the line below, confirming again is harmless: the import is idempotent.
        report = _run(staged, staged.event, dry_run=False, actor=user)
        _save_outcome(staged, ok=True, report=report.as_dict(), applied=True)
    except ImportRejected as rejected:
        _save_outcome(staged, ok=False, report=rejected.as_dict())
    except Exception as exc:
        _save_failure(staged, exc)
        raise
    return staged


# --- recording progress -------------------------------------------------------------------


def _save_progress(staged: StagedImport, stage: str, progress: float, *, started=False) -> None:
    """An UPDATE outside the upload's object: the page polls these columns. Progress is for
    show: a busy database does not stop the import for it."""
    staged.status, staged.stage, staged.progress = StagedImport.Status.RUNNING, stage, progress
    fields = {"status": staged.status, "stage": stage, "progress": progress}
    if started:
        staged.started_at = fields["started_at"] = timezone.now()
    if transaction.get_connection().in_atomic_block:
        return  # nobody would see it before the surrounding transaction commits
    try:
        StagedImport.objects.filter(pk=staged.pk).update(**fields)
    except OperationalError as exc:
        logger.warning("import %s: progress not recorded (%s)", staged.pk, exc)


def _save_outcome(staged: StagedImport, *, ok: bool, report: dict, applied: bool = False) -> None:
    now = timezone.now()
    staged.ok, staged.report = ok, _without_nul(report)
    staged.status, staged.stage, staged.progress = StagedImport.Status.DONE, "", 1.0
    staged.finished_at = now
    fields = ["ok", "report", "status", "stage", "progress", "finished_at"]
    if applied:
        staged.applied_at = now
        fields.append("applied_at")
    staged.save(update_fields=fields)


def _save_failure(staged: StagedImport, exc: Exception) -> None:
    StagedImport.objects.filter(pk=staged.pk).update(
        status=StagedImport.Status.FAILED,
        error=_without_nul(f"{type(exc).__name__}: {exc}")[:2000],
        finished_at=timezone.now(),
    )


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
