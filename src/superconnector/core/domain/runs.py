"""The life of a background run (core/models/run.py), the same for every kind of run:

    start_run ──> queued ──(perform_run, in the task worker)──> running ──> done | failed

Each kind supplies only its work, a function `work(run, progress) -> stats`; perform_run
(the one task wrapper) marks the run running, calls it, and records how it ended, an
exception included. A run that neither finishes nor fails was lost with its worker:
is_stale says so by one rule for every kind, and active_run marks such runs failed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from time import monotonic
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.models.run import ACTIVE_STATUSES, BackgroundRun, RunStatus

logger = logging.getLogger(__name__)

Run = TypeVar("Run", bound=BackgroundRun)
# progress(stage, fraction): where the work is, for the page that follows it.
Progress = Callable[[str, float], None]
Work = Callable[[Run, Progress], dict[str, Any] | None]

# How often start_run looks again after losing a race (see there).
START_ATTEMPTS = 3
# Progress reported more often than this is not written (matching reports every batch);
# a new stage always is.
PROGRESS_INTERVAL = 0.5
# Stored on a run found stale; shown on the runs page.
STALE_ERROR = "The run stopped without finishing (its worker died); start a new one."
ERROR_LENGTH = 2000


class RunAlreadyActive(Exception):
    """A run of this kind is queued or running for the event, so another may not start."""

    code = "run_active"

    def __init__(self, model: type[BackgroundRun], run: BackgroundRun | None = None) -> None:
        super().__init__(
            _(
                "A %(kind)s for this event is already queued or running; wait for it to "
                "finish, then start again if needed."
            )
            % {"kind": model._meta.verbose_name}
        )
        self.run = run


# --- starting ------------------------------------------------------------------------------


def start_run(
    model: type[Run],
    event: Any,
    enqueue: Callable[[int], object],
    *,
    refuse_if_active: bool = False,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Run:
    """Create a queued run of `model` for the event and enqueue it (enqueue(run_id)) once
    the surrounding transaction commits, so the worker finds the row.

    A run of this kind already active for the event is returned instead of starting a
    second one, so that a second click on "start" shows the run in progress; with
    `refuse_if_active`, RunAlreadyActive is raised instead. Two starts at the same moment
    both find no active run; the model's partial unique constraint (one_active_run_per_event)
    lets one INSERT through, and the other then finds that run as if it had come second.
    """
    for _attempt in range(START_ATTEMPTS):
        active = active_run(model, event, now=now)
        if active is not None:
            if refuse_if_active:
                raise RunAlreadyActive(model, active)
            return active
        try:
            with transaction.atomic():
                run = model._default_manager.create(event=event, **fields)
        except IntegrityError:
            # Lost the race. Usually the winner is found on the next look; if it finished
            # already in between, this start goes ahead as a new run.
            continue
        transaction.on_commit(partial(enqueue, run.pk))
        return run
    raise RunAlreadyActive(model)


def active_run(model: type[Run], event: Any, *, now: dt.datetime | None = None) -> Run | None:
    """The event's run of this kind still queued or running, if any; stale ones are marked
    failed on the way, so that neither they block new runs nor the runs page shows them
    running for ever."""
    now = now or timezone.now()
    for run in model._default_manager.filter(event=event, status__in=ACTIVE_STATUSES):
        if not expire_if_stale(run, now=now):
            return run
    return None


# --- staleness -----------------------------------------------------------------------------


def is_stale(run: BackgroundRun, now: dt.datetime | None = None) -> bool:
    """Whether an unfinished run died with its worker: the one rule for every kind.

    A running run is timed from when it started, a queued one from when it was queued:
    time spent waiting behind other tasks is not held against the work, nor queueing
    time against the work's own time limit. Either may take its kind's time limit
    (time_allowed) plus its kind's margin (stale_margin)."""
    if not run.is_active:
        return False
    started = run.started_at if run.status == RunStatus.RUNNING else None
    since = started or run.queued_since()
    return (now or timezone.now()) - since >= run.time_allowed() + run.stale_margin


def expire_if_stale(run: BackgroundRun, *, now: dt.datetime | None = None) -> bool:
    """Mark a stale run failed; True if it is over now. Only if its row is still as it was
    read: a late worker may have finished it meanwhile (then it is over too)."""
    now = now or timezone.now()
    if not is_stale(run, now):
        return False
    unchanged = type(run)._default_manager.filter(pk=run.pk, status=run.status)
    expired = unchanged.update(status=RunStatus.FAILED, error=STALE_ERROR, finished_at=now)
    if expired:
        run.status, run.error, run.finished_at = RunStatus.FAILED, STALE_ERROR, now
    else:
        run.refresh_from_db(fields=["status", "error", "started_at", "finished_at"])
    return not run.is_active


# --- recording -----------------------------------------------------------------------------


def mark_running(run: BackgroundRun, *, only_if_queued: bool = False) -> bool:
    """Record that the work starts now. With `only_if_queued` (a task taking its run up),
    False if the run is no longer queued (found stale and failed meanwhile, or taken up by
    another worker): then nobody must do its work, or do it twice."""
    now = timezone.now()
    runs = type(run)._default_manager.filter(pk=run.pk)
    if only_if_queued:
        runs = runs.filter(status=RunStatus.QUEUED)
    taken = runs.update(status=RunStatus.RUNNING, stage="", progress=0.0, started_at=now)
    if taken:
        run.status, run.stage, run.progress, run.started_at = RunStatus.RUNNING, "", 0.0, now
    return bool(taken)


def record_progress(run: BackgroundRun, stage: str, progress: float) -> None:
    """An UPDATE outside the run's object: other processes poll these columns. Progress is
    for show: a busy database does not stop the work for it."""
    run.stage, run.progress = stage, round(progress, 3)
    if transaction.get_connection().in_atomic_block:
        return  # nobody would see it before the surrounding transaction commits
    try:
        type(run)._default_manager.filter(pk=run.pk).update(stage=run.stage, progress=run.progress)
    except OperationalError as exc:
        logger.warning("%s %s: progress not recorded (%s)", type(run).__name__, run.pk, exc)


def progress_recorder(run: BackgroundRun) -> Progress:
    """The progress callback handed to the work: writes a new stage at once, and the
    fraction within a stage at most every PROGRESS_INTERVAL seconds."""
    last_written = [0.0]

    def progress(stage: str, fraction: float) -> None:
        now = monotonic()
        if stage != run.stage or fraction >= 1.0 or now - last_written[0] > PROGRESS_INTERVAL:
            record_progress(run, stage, fraction)
            last_written[0] = now

    return progress


def finish_run(run: BackgroundRun, stats: dict[str, Any] | None = None, **fields: Any) -> None:
    """Record that the work ended with an answer, with its figures (and any fields of the
    kind's own, saved together)."""
    run.status, run.stage, run.progress, run.finished_at = (
        RunStatus.DONE,
        "done",
        1.0,
        timezone.now(),
    )
    changed = ["status", "stage", "progress", "finished_at", *fields]
    for name, value in fields.items():
        setattr(run, name, value)
    if stats is not None:
        run.stats = stats
        changed.append("stats")
    run.save(update_fields=changed)


def fail_run(run: BackgroundRun, exc: BaseException) -> None:
    """Record why the work stopped without an answer (an UPDATE: the run's object may hold
    half-done changes nobody should save)."""
    # PostgreSQL stores no NUL character; a message quoting one from a file must still go in.
    error = f"{type(exc).__name__}: {exc}".replace("\x00", "\\x00")[:ERROR_LENGTH]
    run.status, run.error, run.finished_at = RunStatus.FAILED, error, timezone.now()
    type(run)._default_manager.filter(pk=run.pk).update(
        status=run.status, error=run.error, finished_at=run.finished_at
    )


# --- the task wrapper ------------------------------------------------------------------------


def execute_run(run: Run, work: Work[Run], *, only_if_queued: bool = False) -> Run:
    """Do a run's work here and now: mark it running, call work(run, progress) and record
    the figures it returns, or its exception (re-raised, so that a task fails visibly
    too). With `only_if_queued`, a run no longer queued is left alone (see mark_running).

    Work whose ending must be written together with other changes (in one transaction)
    calls finish_run itself; the run is then not finished a second time."""
    if not mark_running(run, only_if_queued=only_if_queued):
        logger.info("%s %s is %s, not queued: not run", type(run).__name__, run.pk, run.status)
        return run
    try:
        stats = work(run, progress_recorder(run))
    except BaseException as exc:
        try:
            fail_run(run, exc)
        except Exception:
            # The database itself may be what failed: the work's exception goes on, not this.
            logger.exception("%s %s: failure not recorded", type(run).__name__, run.pk)
        raise
    if run.status != RunStatus.DONE:
        finish_run(run, stats)
    return run


def perform_run(
    model: type[Run], run_id: int, work: Work[Run], *, related: tuple[str, ...] = ("event",)
) -> Run | None:
    """The body of every run task: load the run afresh by id and, if it is still queued,
    execute its work. None if the run was deleted while queued (with its event, say)."""
    run = model._default_manager.select_related(*related).filter(pk=run_id).first()
    if run is None:
        return None
    return execute_run(run, work, only_if_queued=True)
