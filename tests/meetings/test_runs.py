"""One queued or running scheduling run per event, even when two starts cross."""

import pytest
from django.db import IntegrityError, transaction

import superconnector.core.domain.runs as runs
from superconnector.core.domain.runs import RunAlreadyActive
from superconnector.meetings.models import SchedulingRun
from superconnector.meetings.runs import start_scheduling
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


def active(event) -> int:
    return SchedulingRun.objects.filter(event=event, status__in=["queued", "running"]).count()


def test_the_database_refuses_a_second_active_run(event):
    SchedulingRun.objects.create(event=event, status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        SchedulingRun.objects.create(event=event)
    # Finished runs do not count, and other events are not affected.
    SchedulingRun.objects.create(event=event, status="done")
    SchedulingRun.objects.create(event=event, status="failed")
    SchedulingRun.objects.create(event=EventFactory())
    assert active(event) == 1


def test_a_start_that_loses_the_race_returns_the_winners_run(event, monkeypatch):
    # The other start inserts its run between this start's look and its INSERT.
    winner = {}
    look = runs.active_run

    def look_then_lose(model, event, now=None):
        if not winner:
            winner["run"] = SchedulingRun.objects.create(event=event)
            return None
        return look(model, event, now=now)

    monkeypatch.setattr(runs, "active_run", look_then_lose)

    run = start_scheduling(event, time_limit=5)

    assert run.pk == winner["run"].pk
    assert active(event) == 1


def test_refusing_an_active_run_says_so_plainly(event):
    first = start_scheduling(event, time_limit=5)  # no commit in this test: stays queued

    with pytest.raises(RunAlreadyActive) as refused:
        start_scheduling(event, time_limit=5, refuse_if_active=True)

    assert refused.value.run == first and refused.value.code == "run_active"
    assert "already queued or running" in str(refused.value)
    assert active(event) == 1
