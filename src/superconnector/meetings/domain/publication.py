"""Publishing an event's schedule (the back office does), remembering what was announced."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from superconnector.events.models import Event
from superconnector.meetings.domain.publish import (
    PublishReport,
    affected_participants,
    publish_schedule,
)
from superconnector.meetings.models import SchedulePublication


def last_publication(event: Event) -> SchedulePublication | None:
    return SchedulePublication.objects.filter(event=event).first()


def count_affected(event: Event) -> int:
    """How many delegates publishing now would e-mail."""
    previous = last_publication(event)
    return len(affected_participants(event, previous.snapshot if previous else None))


@transaction.atomic
def publish_event_schedule(event: Event, user, *, now: dt.datetime | None = None) -> PublishReport:
    previous = last_publication(event)
    report = publish_schedule(event, previous=previous.snapshot if previous else None, now=now)
    SchedulePublication.objects.create(
        event=event,
        published_by=user if getattr(user, "is_authenticated", False) else None,
        published_at=report.published_at,
        snapshot=report.snapshot,
        mailed=report.mailed,
    )
    return report
