"""Acting on an event's request deadline when it comes: the expiry task is queued for it.

This module queues a task, so it sits above meetings/tasks.py (which imports the work in
meetings/domain/expiry.py), outside meetings/domain (docs/architecture.md, "Inside an app").
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from superconnector.events.models import Event
from superconnector.meetings.tasks import expire_requests


def schedule_request_expiry(event: Event) -> None:
    """Queue the expiry task for the event's deadline, once the surrounding transaction
    commits (call it whenever the deadline is set or changed). A deadline already passed
    is acted on at once; a task queued for an earlier deadline finds, when it runs, that
    the deadline moved and does nothing."""
    deadline = event.request_deadline
    if deadline is None:
        return
    transaction.on_commit(lambda: _enqueue_expiry(event.pk, deadline))


def _enqueue_expiry(event_id: int, deadline: dt.datetime) -> None:
    if deadline <= timezone.now():
        expire_requests.enqueue(event_id)
    elif expire_requests.get_backend().supports_defer:
        expire_requests.using(run_after=deadline).enqueue(event_id)
    # A backend that cannot defer (the immediate one, in tests) leaves it to the pages'
    # own check and to `superconnector expire_requests`.
