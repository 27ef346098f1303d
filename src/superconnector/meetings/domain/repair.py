"""Repairing a published schedule on the day, locally: a cancellation's place is offered,
a late accept is placed where both people are free, and nothing else moves.

The full re-optimisation (scheduling runs) may move announced meetings to place more;
on the day that costs notices and walks to the wrong table, so the day-of actions repair
in place first, in well under a second, and the organiser asks for a full re-plan only
when they choose (after publication it comes as a draft: drafts.py). A no-show goes the
same way through noshow.mark_absent.

Before the schedule is published nothing is repaired here: the next run places everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.domain.visibility import is_listed
from superconnector.directory.models import Participant
from superconnector.events.domain.times import event_time_text
from superconnector.events.models import Slot
from superconnector.meetings.domain.bookings import (
    PlaceTaken,
    check_overlaps_at_once,
    refuse_busy_people,
)
from superconnector.meetings.domain.links import meetings_page_url
from superconnector.meetings.domain.noshow import FreedPlace, PlaceOffer, offer_freed_place
from superconnector.meetings.domain.requests import accept_request, cancel_request
from superconnector.meetings.models import Availability, Meeting, MeetingRequest, MeetingSeat


@dataclass
class Repair:
    """What a day-of action changed besides itself: a place offered, or a meeting placed."""

    request: MeetingRequest
    offer: PlaceOffer | None = None
    placed: Meeting | None = None


def repair_now() -> dt.datetime:
    """The moment a repair looks forward from: only slots that start after it are used.
    (A function of its own so that tests can pin it before their fixed-date events.)"""
    return timezone.now()


def _published(request: MeetingRequest) -> bool:
    return request.event.schedule_published_at is not None


def cancel_and_offer(
    request: MeetingRequest,
    *,
    by: Participant,
    actor=None,
    source: str = "web",
    now: dt.datetime | None = None,
) -> Repair:
    """Cancel (cancel_request) and, once the schedule is published, offer the place the
    counterpart is left with to someone recommended to them who is here and free then,
    as a no-show's places are offered. Nothing else moves."""
    now = now or repair_now()
    meeting = Meeting.objects.filter(request=request).select_related("slot").first()
    cancelled = cancel_request(request, by=by, actor=actor, source=source, now=now)
    repair = Repair(cancelled)
    if meeting is None or not _published(cancelled) or meeting.slot.starts_at <= now:
        return repair
    other = cancelled.recipient if by.pk == cancelled.sender_id else cancelled.sender
    place = FreedPlace(meeting.slot, meeting.table, other, cancelled.key)
    repair.offer = offer_freed_place(place, actor=actor, now=now)
    return repair


def accept_and_place(
    request: MeetingRequest,
    *,
    by: Participant,
    actor=None,
    source: str = "web",
    now: dt.datetime | None = None,
) -> Repair:
    """Accept (accept_request) and, once the schedule is published, place the meeting in
    the first slot ahead where both people are free, at a free table, moving nobody.
    Both are told when and where. If no such place exists it stays unscheduled, for the
    organiser's next re-plan."""
    now = now or repair_now()
    accepted = accept_request(request, by=by, actor=actor, source=source, now=now)
    repair = Repair(accepted)
    if _published(accepted):
        repair.placed = place_without_moving(accepted, now=now)
        if repair.placed is not None:
            _tell_placed(repair.placed)
    return repair


def place_without_moving(request: MeetingRequest, *, now: dt.datetime) -> Meeting | None:
    """Book the accepted request into the earliest slot ahead that both people can attend
    and are free in, at the lowest free table; None if there is none. Existing meetings
    are never touched; a place taken concurrently is skipped (the database refuses it)."""
    people = [request.sender, request.recipient]
    if any(p.absent or not is_listed(p) for p in people):
        return None
    if Meeting.objects.filter(request=request).exists():
        return None
    slots = list(
        Slot.objects.filter(session__event=request.event, starts_at__gt=now)
        .select_related("session")
        .order_by("starts_at", "pk")
    )
    for person in people:
        slots = _free_slots(person, slots)
    used = _tables_in_use(slots)
    for slot in slots:
        for table in _free_tables(slot, used.get(slot.pk, set())):
            try:
                return _book(request, people, slot, table)
            except PlaceTaken:
                break  # a person was booked meanwhile in that slot: try the next slot
            except IntegrityError:
                continue  # the table was taken meanwhile: try the next table
    return None


def _free_slots(person: Participant, slots: list[Slot]) -> list[Slot]:
    """The slots among `slots` the person attends (sessions, no unavailable block) and has
    no meeting overlapping: two queries whatever the number of slots."""
    availability = (
        Availability.objects.filter(participant=person)
        .prefetch_related("sessions", "blocks")
        .first()
    )
    sessions = None
    blocks: list[tuple[dt.datetime, dt.datetime]] = []
    if availability is not None:
        if not availability.all_sessions:
            sessions = {s.pk for s in availability.sessions.all()}
        blocks = [(b.starts_at, b.ends_at) for b in availability.blocks.all()]
    busy = list(
        MeetingSeat.objects.filter(participant=person).values_list(
            "slot__starts_at", "slot__ends_at"
        )
    )

    def free(slot: Slot) -> bool:
        if sessions is not None and slot.session_id not in sessions:
            return False
        taken = blocks + busy
        return not any(start < slot.ends_at and slot.starts_at < end for start, end in taken)

    return [slot for slot in slots if free(slot)]


def _tables_in_use(slots: list[Slot]) -> dict[int, set[str]]:
    used: dict[int, set[str]] = {}
    for slot_id, table in Meeting.objects.filter(slot__in=slots).values_list("slot_id", "table"):
        used.setdefault(slot_id, set()).add(table)
    return used


def _free_tables(slot: Slot, used: set[str]) -> list[str]:
    """The session's tables (named T1..Tn, as the scheduler names them) not in use."""
    return [f"T{n}" for n in range(1, slot.session.tables + 1) if f"T{n}" not in used]


def _book(request: MeetingRequest, people: list[Participant], slot: Slot, table: str) -> Meeting:
    with transaction.atomic():
        check_overlaps_at_once()
        refuse_busy_people(people, slot)
        meeting = Meeting.objects.create(
            event=request.event, request=request, slot=slot, table=table
        )
        MeetingSeat.objects.bulk_create(
            MeetingSeat(meeting=meeting, participant=person, slot=slot) for person in people
        )
    return meeting


def _tell_placed(meeting: Meeting) -> None:
    """Both people hear when and where at once: on the day, the next publication is too
    late to be the first they hear of it."""
    request = meeting.request
    event = request.event
    for person, other in ((request.sender, request.recipient), (request.recipient, request.sender)):
        with in_language_of_participant(person):
            when = event_time_text(event, meeting.slot.starts_at)
            subject = _("Your meeting with %(name)s: %(time)s") % {
                "name": other.person.name,
                "time": when,
            }
            body = _(
                "Your meeting with %(name)s (%(organisation)s) at %(event)s is scheduled: "
                "%(time)s, table %(table)s. Nothing else in your agenda changed.\n\n"
                "Your meetings:\n%(url)s"
            ) % {
                "name": other.person.name,
                "organisation": other.event_organisation.organisation.name,
                "event": display_name(event),
                "time": when,
                "table": meeting.table,
                "url": meetings_page_url(event, request.pk),
            }
        queue_mail(person.person.email, subject, body, event=event, kind="late_accept_placed")
