"""The one background-run mechanism (core/domain/runs.py), on the real kinds of run."""

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from superconnector.core.domain import runs
from superconnector.core.domain.runs import (
    RunAlreadyActive,
    active_run,
    execute_run,
    expire_if_stale,
    is_stale,
    perform_run,
    start_run,
)
from superconnector.exchange.models import StagedImport
from superconnector.matchmaking.models import MatchingRun
from superconnector.meetings.models import SchedulingRun
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def queued_nothing(run_id):
    """An enqueue that runs nothing: the runs stay queued."""


def ago(delta: dt.timedelta) -> dt.datetime:
    return timezone.now() - delta


# --- one active run per event and kind ------------------------------------------------------


def test_one_active_run_per_event_and_kind():
    event, other = EventFactory(), EventFactory()
    matching = start_run(MatchingRun, event, queued_nothing)
    assert start_run(MatchingRun, event, queued_nothing) == matching  # the run in progress
    # Another kind, or another event, is not held up by it.
    scheduling = start_run(SchedulingRun, event, queued_nothing, time_limit=5)
    assert scheduling.status == "queued"
    assert start_run(MatchingRun, other, queued_nothing) != matching
    assert MatchingRun.objects.filter(event=event).count() == 1
    # The database refuses a second active one of a kind, however it is written.
    for model in (MatchingRun, SchedulingRun):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(event=event, status="running")


def test_a_finished_run_lets_the_next_one_start():
    event = EventFactory()
    first = start_run(MatchingRun, event, queued_nothing)
    MatchingRun.objects.filter(pk=first.pk).update(status="done")
    second = start_run(MatchingRun, event, queued_nothing)
    assert second != first and second.status == "queued"


def test_refusing_names_the_kind_of_run_in_progress():
    event = EventFactory()
    first = start_run(MatchingRun, event, queued_nothing)
    with pytest.raises(RunAlreadyActive) as refused:
        start_run(MatchingRun, event, queued_nothing, refuse_if_active=True)
    assert refused.value.run == first and refused.value.code == "run_active"
    assert str(refused.value).startswith("A matching run for this event is already queued")


def test_the_run_is_queued_once_the_transaction_commits(django_capture_on_commit_callbacks):
    queued = []
    with django_capture_on_commit_callbacks() as callbacks:
        run = start_run(MatchingRun, EventFactory(), queued.append)
        assert queued == []  # the worker would not find the row yet
    for callback in callbacks:
        callback()
    assert queued == [run.pk]


# --- staleness: one rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "fields", "allowed"),
    [
        (MatchingRun, {}, dt.timedelta(hours=1)),
        (StagedImport, {"queued_at": None}, dt.timedelta(hours=1)),
        # The solver's time limit, and ten minutes more to store the schedule.
        (SchedulingRun, {"time_limit": 120}, dt.timedelta(minutes=12)),
    ],
)
def test_a_run_is_stale_once_it_has_run_longer_than_its_kind_allows(model, fields, allowed):
    run = model(status="running", created_at=ago(allowed * 3), **fields)
    run.started_at = ago(allowed - MINUTE)
    assert not is_stale(run)
    run.started_at = ago(allowed + MINUTE)
    assert is_stale(run)
    run.status = "done"
    assert not is_stale(run)  # a finished run is never stale
    run.status, run.started_at = "queued", None  # queued: timed from its queueing
    assert is_stale(run)


def test_a_queued_import_is_timed_from_when_it_was_queued_again():
    staged = StagedImport(status="queued", created_at=ago(dt.timedelta(hours=5)))
    staged.queued_at = ago(MINUTE)  # confirmed a minute ago, uploaded hours ago
    assert not is_stale(staged)
    staged.queued_at = None
    assert is_stale(staged)


@pytest.mark.parametrize("model", [MatchingRun, SchedulingRun])
def test_a_run_that_waited_in_the_queue_is_not_failed_as_it_starts(model):
    """Bug fixed by sharing the rule: matching (one hour) and scheduling (time limit plus ten
    minutes) timed a run from its creation, so one that waited behind other tasks was
    marked failed while its worker was running it, and the next start began a second run
    that overwrote the same results."""
    event = EventFactory()
    run = model.objects.create(event=event)
    model.objects.filter(pk=run.pk).update(
        status="running", created_at=ago(dt.timedelta(hours=2)), started_at=ago(MINUTE)
    )
    assert active_run(model, event) == run
    run.refresh_from_db()
    assert run.status == "running" and run.error == ""


def test_a_stale_run_is_marked_failed_and_stops_blocking():
    event = EventFactory()
    dead = start_run(MatchingRun, event, queued_nothing)
    later = timezone.now() + MatchingRun.stale_margin + MINUTE
    fresh = start_run(MatchingRun, event, queued_nothing, now=later)
    assert fresh != dead
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.error == runs.STALE_ERROR
    assert dead.finished_at == later


def test_a_run_finished_meanwhile_is_not_marked_failed():
    run = MatchingRun.objects.create(event=EventFactory())
    MatchingRun.objects.filter(pk=run.pk).update(status="done")  # a late worker finished it
    # `run` is as read before that: stale by its looks, but only an unchanged row is failed.
    assert expire_if_stale(run, now=timezone.now() + dt.timedelta(hours=2))
    run.refresh_from_db()
    assert run.status == "done" and run.error == ""


def test_a_late_worker_leaves_a_run_already_failed_as_stale_alone():
    """Bug fixed by the wrapper: a worker that took up a run after it was failed as stale
    ran it anyway, beside the run started in its place."""
    event = EventFactory()
    run = start_run(MatchingRun, event, queued_nothing)
    assert expire_if_stale(run, now=timezone.now() + dt.timedelta(hours=2))
    called = []
    assert perform_run(MatchingRun, run.pk, lambda run, progress: called.append(run)) == run
    run.refresh_from_db()
    assert called == [] and run.status == "failed"


# --- the task wrapper ------------------------------------------------------------------------


def test_the_wrapper_records_the_figures_of_work_that_ends():
    run = start_run(MatchingRun, EventFactory(), queued_nothing)
    seen = []

    def work(run, progress):
        seen.append((run.status, run.started_at is not None))
        return {"pairs": 3}

    perform_run(MatchingRun, run.pk, work)
    run.refresh_from_db()
    assert seen == [("running", True)]
    assert (run.status, run.stage, run.progress, run.stats) == ("done", "done", 1.0, {"pairs": 3})
    assert run.finished_at >= run.started_at


def test_the_wrapper_records_a_failure_and_lets_the_task_fail_too():
    run = start_run(SchedulingRun, EventFactory(), queued_nothing, time_limit=5)

    def work(run, progress):
        progress("solving", 0.4)
        raise ValueError("no slots\x00 at all")

    with pytest.raises(ValueError, match="no slots"):
        perform_run(SchedulingRun, run.pk, work)
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    # The type and message, and no NUL (PostgreSQL would refuse the whole UPDATE).
    assert run.error == "ValueError: no slots\\x00 at all"


def test_a_run_deleted_while_queued_is_skipped():
    run = start_run(MatchingRun, EventFactory(), queued_nothing)
    run.event.delete()
    assert perform_run(MatchingRun, run.pk, lambda run, progress: {}) is None


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_for_the_page_as_the_work_goes(monkeypatch):
    """Each new stage is written at once; the fraction within a stage at most every half
    second (matching reports every batch of texts)."""
    clock = [1000.0]
    monkeypatch.setattr(runs, "monotonic", lambda: clock[0])
    run = MatchingRun.objects.create(event=EventFactory())
    stored = []

    def look():
        row = MatchingRun.objects.get(pk=run.pk)
        stored.append((row.status, row.stage, row.progress))

    def work(run, progress):
        progress("encoding", 0.1)
        look()
        progress("encoding", 0.2)  # at once: not written yet
        look()
        clock[0] += 1
        progress("encoding", 0.3)
        look()
        progress("ranking", 0.7)  # a new stage: written at once
        look()
        return {}

    execute_run(run, work)
    assert stored == [
        ("running", "encoding", 0.1),
        ("running", "encoding", 0.1),
        ("running", "encoding", 0.3),
        ("running", "ranking", 0.7),
    ]


def test_the_works_exception_is_not_lost_when_its_failure_cannot_be_recorded(monkeypatch):
    run = start_run(MatchingRun, EventFactory(), queued_nothing)

    def database_gone(run, exc):
        raise OperationalError("server closed the connection")

    def work(run, progress):
        raise ValueError("the real reason")

    monkeypatch.setattr(runs, "fail_run", database_gone)
    with pytest.raises(ValueError, match="the real reason"):
        perform_run(MatchingRun, run.pk, work)
