"""Meeting requests lapse at the organiser's deadline.

An unanswered request blocks its pair (one open request per pair) and counts against the
sender's cap of open requests, and after the deadline nobody can answer it any more; so at
the deadline every pending request becomes `expired`, both sides are told, and what it
blocked is free again.

Three things make that happen on time, and each is safe to repeat (a request expires once):
- a task deferred to the deadline, queued whenever the deadline is set or moved
  (meetings/deadlines.py, `schedule_request_expiry`); it checks the deadline has really
  passed when it runs;
- `superconnector expire_requests`, for cron and as a safety net (a task backend that
  cannot defer, a worker that was down);
- the pages and API reads that show pending requests call `expire_overdue_requests`
  first: one query when nothing is overdue, so none of them ever shows a pending request
  whose answer was due in the past.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.events.domain.times import event_time_text
from superconnector.events.models import Event
from superconnector.meetings.models import MeetingRequest, MeetingRequestChange, RequestStatus

logger = logging.getLogger(__name__)

# The history's `source` for a request that lapsed (its actor is none: nobody did it).
EXPIRY_SOURCE = "deadline"
# Requests expired per transaction: a fair's thousands of requests and their mails do not
# hold the database's write lock in one go.
BATCH = 200


def expire_overdue_requests(event: Event, *, now: dt.datetime | None = None) -> int:
    """Expire the event's pending requests if its request deadline has passed; returns how
    many expired now (0 before the deadline, and on every later call)."""
    now = now or timezone.now()
    if event.request_deadline is None or now < event.request_deadline:
        return 0
    overdue = list(
        MeetingRequest.objects.filter(event=event, status=RequestStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for start in range(0, len(overdue), BATCH):
        expired += _expire_batch(event, overdue[start : start + BATCH], now)
    return expired


def expire_before_reading(event: Event) -> None:
    """For pages and API reads: expire what is overdue before showing requests. If the
    database refuses the write just now (SQLite busy with a long write), the page is shown
    anyway (it hides a past deadline itself); the task or the next read expires them."""
    try:
        expire_overdue_requests(event)
    except DatabaseError:
        logger.warning("could not expire the overdue requests of %s now", event.slug, exc_info=True)


def _expire_batch(event: Event, ids: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        # Locked and re-read as pending: an answer, a withdrawal or another expiry that got
        # there first wins, and this one leaves the request alone.
        requests = list(
            MeetingRequest.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status=RequestStatus.PENDING)
            .select_related(
                "sender__person__user",
                "recipient__person__user",
                "sender__event_organisation__organisation",
                "recipient__event_organisation__organisation",
            )
            .order_by("pk")
        )
        if not requests:
            return 0
        MeetingRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            status=RequestStatus.EXPIRED, updated_at=now
        )
        MeetingRequestChange.objects.bulk_create(
            MeetingRequestChange(
                request=request,
                from_status=RequestStatus.PENDING,
                to_status=RequestStatus.EXPIRED,
                actor=None,
                source=EXPIRY_SOURCE,
                note="unanswered at the request deadline",
            )
            for request in requests
        )
        for request in requests:
            request.status = RequestStatus.EXPIRED
            _tell_sender(event, request)
            _tell_recipient(event, request)
    return len(requests)


def _deadline_text(event: Event) -> str:
    # Only events with a deadline have requests expire.
    return event_time_text(event, event.request_deadline) if event.request_deadline else ""


def _tell_sender(event: Event, request: MeetingRequest) -> None:
    other = request.recipient
    with in_language_of_participant(request.sender):
        subject = _("Your meeting request to %(name)s expired") % {"name": other.person.name}
        body = _(
            "%(name)s (%(organisation)s) did not answer your meeting request before the "
            "deadline of %(event)s, %(deadline)s, so it has expired. It no longer counts "
            "against your open requests."
        ) % {
            "name": other.person.name,
            "organisation": other.organisation.name,
            "event": display_name(event),
            "deadline": _deadline_text(event),
        }
        queue_mail(request.sender.person.email, subject, body, event=event, kind="request_expired")


def _tell_recipient(event: Event, request: MeetingRequest) -> None:
    other = request.sender
    with in_language_of_participant(request.recipient):
        subject = _("The meeting request from %(name)s expired") % {"name": other.person.name}
        body = _(
            "The meeting request from %(name)s (%(organisation)s) was not answered before "
            "the deadline of %(event)s, %(deadline)s, so it has expired."
        ) % {
            "name": other.person.name,
            "organisation": other.organisation.name,
            "event": display_name(event),
            "deadline": _deadline_text(event),
        }
        queue_mail(
            request.recipient.person.email, subject, body, event=event, kind="request_expired"
        )


def expire_all_overdue_requests(now: dt.datetime | None = None) -> dict[str, int]:
    """Every event's overdue requests (the command): {event slug: how many expired}."""
    now = now or timezone.now()
    events = Event.objects.filter(
        request_deadline__lte=now, meeting_requests__status=RequestStatus.PENDING
    ).distinct()
    return {event.slug: expire_overdue_requests(event, now=now) for event in events}
