"""Many "start scheduling" clicks for one event at the same moment start one run."""

from types import SimpleNamespace

import pytest

import superconnector.meetings.tasks
from superconnector.meetings.models import SchedulingRun
from superconnector.meetings.runs import start_scheduling
from tests.factories import EventFactory
from tests.trust.conftest import postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50


def test_fifty_simultaneous_starts_queue_one_run(many_connections, monkeypatch):
    event = EventFactory()
    queued = []
    # Record instead of running: a run that finished at once would let a late start begin
    # a second one legitimately, which is not the race under test.
    monkeypatch.setattr(
        superconnector.meetings.tasks, "compute_schedule", SimpleNamespace(enqueue=queued.append)
    )

    results = race([lambda: start_scheduling(event, time_limit=5)] * ATTEMPTS)

    assert [kind for kind, _ in results] == ["ok"] * ATTEMPTS, results[:3]
    assert SchedulingRun.objects.filter(event=event).count() == 1
    run = SchedulingRun.objects.get(event=event)
    assert {value.pk for _, value in results} == {run.pk}  # everyone is shown that run
    assert queued == [run.pk]  # and it is computed once


def test_fifty_simultaneous_matching_starts_queue_one_run(many_connections, monkeypatch):
    import superconnector.matchmaking.tasks
    from superconnector.matchmaking.models import MatchingRun
    from superconnector.matchmaking.runs import start_matching

    event = EventFactory()
    queued = []
    monkeypatch.setattr(
        superconnector.matchmaking.tasks, "compute_matching", SimpleNamespace(enqueue=queued.append)
    )

    results = race([lambda: start_matching(event)] * ATTEMPTS)

    assert [kind for kind, _ in results] == ["ok"] * ATTEMPTS, results[:3]
    run = MatchingRun.objects.get(event=event)
    assert {value.pk for _, value in results} == {run.pk}
    assert queued == [run.pk]
