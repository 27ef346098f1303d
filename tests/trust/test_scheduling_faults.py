"""A scheduling run that dies half-way: the announced schedule must survive it."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.meetings.domain.scheduling import run_scheduling
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat, SchedulingRun
from superconnector.meetings.runs import start_scheduling
from tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    MeetingSessionFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory()
    MeetingSessionFactory(event=event, tables=2)
    return event


def snapshot(event):
    """Everything a stored schedule is: meeting rows (ids included), seats, sequences."""
    return (
        sorted(
            Meeting.objects.filter(event=event).values_list("pk", "request__key", "slot", "table")
        ),
        sorted(MeetingSeat.objects.values_list("meeting", "participant", "slot")),
        sorted(MeetingRequest.objects.values_list("key", "meeting_sequence")),
    )


def test_a_run_killed_while_storing_leaves_the_previous_schedule_intact(event, monkeypatch):
    a, b, c, d = (ParticipantFactory(event=event) for _ in range(4))
    MeetingRequestFactory(event=event, sender=a, recipient=b)
    MeetingRequestFactory(event=event, sender=c, recipient=d)
    run_scheduling(SchedulingRun.objects.create(event=event, time_limit=2))
    # New work for the next run, so that it has something different to write.
    MeetingRequestFactory(event=event, sender=a, recipient=c)
    before = snapshot(event)
    assert len(before[0]) == 2

    # Die after the old meetings were deleted and the new ones created, before the seats:
    # the worst moment, when only the transaction stands between the delegates and chaos.
    def killed(*args, **kwargs):
        raise MemoryError("worker killed while storing")

    monkeypatch.setattr(MeetingSeat.objects, "bulk_create", killed)
    run = SchedulingRun.objects.create(event=event, time_limit=2)
    with pytest.raises(MemoryError):
        run_scheduling(run)

    assert snapshot(event) == before
    run.refresh_from_db()
    assert run.status == SchedulingRun.Status.FAILED
    assert run.error == "MemoryError: worker killed while storing"
    assert run.finished_at is not None


def test_a_run_whose_worker_died_does_not_block_the_next_one(event):
    stale = SchedulingRun.objects.create(
        event=event, status=SchedulingRun.Status.RUNNING, time_limit=30
    )
    assert start_scheduling(event).pk == stale.pk  # still within its time: it may finish
    SchedulingRun.objects.filter(pk=stale.pk).update(
        created_at=timezone.now()
        - dt.timedelta(seconds=30)
        - SchedulingRun.stale_margin
        - dt.timedelta(minutes=1)
    )

    fresh = start_scheduling(event)

    assert fresh.pk != stale.pk and fresh.status == SchedulingRun.Status.QUEUED
    stale.refresh_from_db()
    # Not left "running" for ever in the list of runs.
    assert stale.status == SchedulingRun.Status.FAILED
    assert "worker died" in stale.error and stale.finished_at is not None
    assert start_scheduling(event).pk == fresh.pk  # and the new one is not started twice
