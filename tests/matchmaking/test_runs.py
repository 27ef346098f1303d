"""One matching run at a time per event."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from superconnector.matchmaking.models import MatchingRun
from superconnector.matchmaking.runs import start_matching
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_active_matching_run():
    event = EventFactory()
    MatchingRun.objects.create(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchingRun.objects.create(event=event, status="running")
    MatchingRun.objects.create(event=event, status="done")  # finished ones do not count


def test_a_second_start_shows_the_run_in_progress(monkeypatch):
    import superconnector.matchmaking.tasks

    monkeypatch.setattr(
        superconnector.matchmaking.tasks, "compute_matching", SimpleNamespace(enqueue=id)
    )
    event = EventFactory()
    first = MatchingRun.objects.create(event=event, status="running")
    assert start_matching(event) == first
    assert MatchingRun.objects.filter(event=event).count() == 1


def test_a_run_whose_worker_died_stops_blocking(monkeypatch):
    import superconnector.matchmaking.tasks

    monkeypatch.setattr(
        superconnector.matchmaking.tasks, "compute_matching", SimpleNamespace(enqueue=id)
    )
    event = EventFactory()
    dead = MatchingRun.objects.create(event=event, status="running")
    later = timezone.now() + MatchingRun.stale_margin + dt.timedelta(minutes=1)
    fresh = start_matching(event, now=later)
    assert fresh != dead
    dead.refresh_from_db()
    assert dead.status == "failed" and "worker died" in dead.error
