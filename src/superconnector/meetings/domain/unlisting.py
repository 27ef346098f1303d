"""When someone stops being listed (directory/domain/visibility.py says who is), their
place in other people's plans goes at once, not at the next run.

`withdraw_unlisted` is the one function every state change calls: consent withdrawn,
erasure, an account disabled, an organisation hidden or set back to review (the vetting
page calls it; saves of people, accounts and organisations made anywhere else, the admin
included, reach it through the signals in meetings/signals.py). For each of the given
participants who is now unlisted, in an event that has not ended:

- their open (pending) requests, sent or received, are cancelled;
- their accepted requests are cancelled too, and a meeting of theirs that has not begun
  is removed; its place is offered to a checked-in recommended match of the counterpart,
  as the no-show path does (meetings/domain/noshow.py);
- each change is recorded in the request's history (source "unlisted", note "no longer
  available") and the counterpart is told by mail, in their language, without naming
  the person who left;
- the stored suggestions that name them are deleted.

Meetings that already began stay, as history (agendas then show the counterpart as no
longer listed). The next matching and scheduling runs leave unlisted people out by
themselves (they read the listed rows), so nothing here has to be undone if the person
comes back: they are simply listed again, with no requests or meetings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.domain.visibility import listed_people_q
from superconnector.directory.models import Participant
from superconnector.events.domain.times import event_time_text
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.noshow import FreedPlace, offer_freed_place
from superconnector.meetings.models import (
    ACTIVE_STATUSES,
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    RequestStatus,
)

SOURCE = "unlisted"
NOTE = "no longer available"
# Set while a purge anonymises the people of an event long over (privacy/domain/retention.py).
_PAUSED: ContextVar[bool] = ContextVar("unlisting_paused", default=False)


@contextmanager
def unlisting_paused() -> Iterator[None]:
    """Within this block, saves that unlist people close nothing (the event has ended)."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


@dataclass
class UnlistingReport:
    participants: list[int] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # keys of the requests cancelled
    freed: list = field(default_factory=list)  # noshow.FreedPlace
    offers: list = field(default_factory=list)  # noshow.PlaceOffer


def withdraw_unlisted(
    participants: Iterable[Participant] | Iterable[int],
    *,
    actor=None,
    now: dt.datetime | None = None,
) -> UnlistingReport:
    """Close what the unlisted ones among `participants` had open (see the module)."""
    now = now or timezone.now()
    ids = [p if isinstance(p, int) else p.pk for p in participants]
    report = UnlistingReport()
    if not ids or _PAUSED.get():
        return report
    unlisted = [
        p
        for p in Participant.objects.filter(pk__in=ids)
        .exclude(listed_people_q())
        .select_related("event")
        if p.event.ends_on >= now.astimezone(p.event.tzinfo).date()
    ]
    if not unlisted:
        return report
    gone = {p.pk for p in unlisted}
    report.participants = sorted(gone)
    with transaction.atomic():
        requests = (
            MeetingRequest.objects.select_for_update(of=("self",))
            .filter(Q(sender_id__in=gone) | Q(recipient_id__in=gone), status__in=ACTIVE_STATUSES)
            .select_related("event", "sender__person__user", "recipient__person__user")
            .order_by("pk")
        )
        for request in list(requests):
            meeting = Meeting.objects.filter(request=request).select_related("slot").first()
            if meeting is not None and meeting.slot.starts_at < now:
                continue  # it has begun or taken place: history, not a plan
            previous = request.status
            request.status = RequestStatus.CANCELLED
            request.save(update_fields=["status", "updated_at"])
            MeetingRequestChange.objects.create(
                request=request,
                from_status=previous,
                to_status=RequestStatus.CANCELLED,
                actor=actor,
                source=SOURCE,
                note=NOTE,
            )
            report.closed.append(request.key)
            for side, other in (
                (request.sender, request.recipient),
                (request.recipient, request.sender),
            ):
                if side.pk in gone and other.pk not in gone:
                    _tell_counterpart(other, request, meeting, previous)
            if meeting is not None:
                counterparts = [p for p in (request.sender, request.recipient) if p.pk not in gone]
                meeting.delete()
                for counterpart in counterparts:
                    report.freed.append(
                        FreedPlace(meeting.slot, meeting.table, counterpart, request.key)
                    )
        MeetingSuggestion.objects.filter(
            Q(participant_id__in=gone) | Q(suggested_id__in=gone)
        ).delete()
        for place in report.freed:
            offer = offer_freed_place(place, actor=actor, now=now)
            if offer is not None:
                report.offers.append(offer)
    return report


def _tell_counterpart(
    counterpart: Participant, request: MeetingRequest, meeting: Meeting | None, previous: str
) -> None:
    """Mail the one who stays, in their language; the one who left is not named."""
    event = request.event
    with in_language_of_participant(counterpart):
        values = {
            "event": display_name(event),
            "date": event_time_text(event, request.created_at),
        }
        if meeting is not None:
            values |= {
                "time": event_time_text(event, meeting.slot.starts_at),
                "table": meeting.table,
            }
            subject = _("Your meeting at %(time)s is cancelled") % values
            body = _(
                "Your meeting at %(event)s at %(time)s, table %(table)s, is cancelled: the "
                "other delegate is no longer available. If someone recommended to you can "
                "take the place, you will get a separate message."
            )
        elif previous == RequestStatus.ACCEPTED:
            subject = _("An agreed meeting at %(event)s is cancelled") % values
            body = _(
                "The meeting agreed through the request of %(date)s is cancelled: the other "
                "delegate is no longer available at %(event)s."
            )
        elif request.sender_id == counterpart.pk:
            subject = _("Your meeting request at %(event)s is closed") % values
            body = _(
                "Your meeting request of %(date)s is closed: the delegate you asked is no "
                "longer available at %(event)s. It no longer counts towards your open requests."
            )
        else:
            subject = _("A meeting request to you at %(event)s is withdrawn") % values
            body = _(
                "The meeting request you received on %(date)s is withdrawn: the delegate who "
                "sent it is no longer available at %(event)s."
            )
        body = body % values
    queue_mail(counterpart.person.email, subject, body, event=event, kind="request_unlisted")
