"""No-shows on the day: free an absent delegate's meetings and offer each freed place to
someone who would like to meet the counterpart and is here and free at that time.

The request deadline has passed by then, so the replacement cannot go through
send_request; it is made directly as an accepted request with its meeting, recorded with
source "no_show", and both people are told by e-mail. Either may cancel it like any other
meeting (cancel_request), which frees the place again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.domain.visibility import is_listed, listed_people_q
from superconnector.directory.models import Participant
from superconnector.events.domain.times import event_time_text
from superconnector.events.models import Slot
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.bookings import (
    PlaceTaken,
    check_overlaps_at_once,
    is_overlap_refusal,
    refuse_busy_people,
)
from superconnector.meetings.domain.expiry import expire_overdue_requests
from superconnector.meetings.domain.links import meetings_page_url
from superconnector.meetings.domain.requests import cancel_request
from superconnector.meetings.models import (
    ACTIVE_STATUSES,
    Availability,
    Block,
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    MeetingSeat,
    RequestStatus,
)


@dataclass
class FreedPlace:
    slot: Slot
    table: str
    counterpart: Participant
    request: str  # key of the cancelled request


@dataclass
class PlaceOffer:
    place: FreedPlace
    to: Participant
    meeting: Meeting


@dataclass
class NoShowReport:
    participant: Participant
    freed: list[FreedPlace] = field(default_factory=list)
    offers: list[PlaceOffer] = field(default_factory=list)

    @property
    def unfilled(self) -> list[FreedPlace]:
        filled = {id(offer.place) for offer in self.offers}
        return [place for place in self.freed if id(place) not in filled]


def mark_absent(
    participant: Participant, *, actor=None, now: dt.datetime | None = None
) -> NoShowReport:
    """Mark a no-show, cancel their meetings still to come and offer each freed place."""
    now = now or timezone.now()
    # A request left pending past the deadline must not keep a replacement pair apart.
    expire_overdue_requests(participant.event, now=now)
    report = NoShowReport(participant)
    with transaction.atomic():
        participant.absent = True
        participant.save(update_fields=["absent", "updated_at"])
        upcoming = (
            Meeting.objects.filter(
                seats__participant=participant,
                request__status=RequestStatus.ACCEPTED,
                slot__starts_at__gte=now,
            )
            .select_related(
                "slot",
                "request__sender__person",
                "request__recipient__person",
                "request__sender__event_organisation__organisation",
                "request__recipient__event_organisation__organisation",
            )
            .order_by("slot__starts_at")
        )
        for meeting in list(upcoming):
            request = meeting.request
            other = request.recipient if request.sender_id == participant.pk else request.sender
            cancel_request(request, by=participant, actor=actor, source="no_show", now=now)
            report.freed.append(FreedPlace(meeting.slot, meeting.table, other, request.key))
        for place in report.freed:
            offer = offer_freed_place(place, actor=actor, now=now)
            if offer is not None:
                report.offers.append(offer)
    return report


def undo_absent(participant: Participant) -> Participant:
    """Take back a no-show mark. Cancelled meetings stay cancelled: their places may have
    gone to others already."""
    if participant.absent:
        participant.absent = False
        participant.save(update_fields=["absent", "updated_at"])
    return participant


def waiting_matches(counterpart: Participant) -> list[Participant]:
    """People recommended to meet `counterpart`, best first: their own suggestions, then
    those who were suggested the counterpart."""
    # Only people who may be scheduled with the counterpart (directory/domain/visibility.py).
    own = (
        MeetingSuggestion.objects.filter(participant=counterpart)
        .filter(listed_people_q("suggested__"))
        .select_related("suggested__person", "suggested__event_organisation__organisation")
    )
    reverse = (
        MeetingSuggestion.objects.filter(suggested=counterpart)
        .filter(listed_people_q("participant__"))
        .select_related("participant__person", "participant__event_organisation__organisation")
    )
    ordered: dict[int, Participant] = {}
    for suggestion in own.order_by("rank", "choice", "pk"):
        ordered.setdefault(suggestion.suggested_id, suggestion.suggested)
    for suggestion in reverse.order_by("rank", "choice", "pk"):
        ordered.setdefault(suggestion.participant_id, suggestion.participant)
    return list(ordered.values())


def offer_freed_place(
    place: FreedPlace, *, actor=None, now: dt.datetime | None = None
) -> PlaceOffer | None:
    """Give the place to the first waiting match who is checked in and free then."""
    now = now or timezone.now()
    counterpart = place.counterpart
    if not is_listed(counterpart):
        return None  # nobody is offered a meeting with someone who left the listings
    for candidate in candidates_who_can_take(waiting_matches(counterpart), counterpart, place.slot):
        try:
            meeting = book_place(counterpart, candidate, place, actor=actor, now=now)
        except PlaceTaken:
            continue  # booked concurrently: the database refused a double booking
        _tell(counterpart, candidate, place)
        return PlaceOffer(place, candidate, meeting)
    return None


def candidates_who_can_take(
    candidates: list[Participant], counterpart: Participant, slot: Slot
) -> list[Participant]:
    """Those of `candidates` (in their order) who could meet `counterpart` in `slot`:
    checked in, not absent, of another organisation, with no open request with them and
    no block between them, free then and available. A handful of queries for all of them,
    not a handful each: on the day a no-show's places are offered while the desk waits
    (bench/repair.py)."""
    hopeful = [
        c
        for c in candidates
        if c.checked_in_at is not None
        and not c.absent
        and c.event_organisation_id != counterpart.event_organisation_id
    ]
    if not hopeful:
        return []
    ids = [c.pk for c in hopeful]
    excluded = set()
    for sender, recipient in MeetingRequest.objects.filter(
        Q(sender=counterpart, recipient__in=ids) | Q(recipient=counterpart, sender__in=ids),
        status__in=ACTIVE_STATUSES,
    ).values_list("sender_id", "recipient_id"):
        excluded.add(recipient if sender == counterpart.pk else sender)  # already meet or asked
    for blocker, blocked in Block.objects.filter(
        Q(blocker=counterpart, blocked__in=ids) | Q(blocked=counterpart, blocker__in=ids)
    ).values_list("blocker_id", "blocked_id"):
        excluded.add(blocked if blocker == counterpart.pk else blocker)
    excluded |= set(
        MeetingSeat.objects.filter(
            participant__in=ids,
            meeting__request__status=RequestStatus.ACCEPTED,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        ).values_list("participant_id", flat=True)
    )
    excluded |= _unavailable_ids([pk for pk in ids if pk not in excluded], slot)
    return [c for c in hopeful if c.pk not in excluded]


def _unavailable_ids(ids: list[int], slot: Slot) -> set[int]:
    """Of the participants `ids`, those whose availability rules `slot` out (sessions they
    do not attend, or an unavailable block over it); no availability row: available."""
    unavailable = set()
    for availability in Availability.objects.filter(participant_id__in=ids).prefetch_related(
        "sessions"
    ):
        if not availability.all_sessions and slot.session_id not in {
            s.pk for s in availability.sessions.all()
        }:
            unavailable.add(availability.participant_id)
    unavailable |= set(
        Availability.objects.filter(
            participant_id__in=ids,
            blocks__starts_at__lt=slot.ends_at,
            blocks__ends_at__gt=slot.starts_at,
        ).values_list("participant_id", flat=True)
    )
    return unavailable


def book_place(
    counterpart: Participant,
    candidate: Participant,
    place: FreedPlace,
    *,
    actor=None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Book `candidate` with `counterpart` in the freed place, all or nothing.

    The checks of `candidates_who_can_take` run before, outside any lock, so two offers made at the same
    moment can both pass them; the database's constraints then keep one booking and the
    other gets PlaceTaken with a message that says what was taken. Overlaps with meetings
    in other sessions are checked again inside the transaction, which is what refuses them
    on SQLite (see bookings.py); PostgreSQL refuses them with its exclusion constraint.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            check_overlaps_at_once()
            refuse_busy_people([counterpart, candidate], place.slot)
            return _book(counterpart, candidate, place, actor, now)
    except IntegrityError as exc:
        raise _place_taken(exc, counterpart, candidate, place) from exc


def _place_taken(
    exc: IntegrityError, counterpart: Participant, candidate: Participant, place: FreedPlace
) -> PlaceTaken:
    # PostgreSQL names the constraint; SQLite names the table and columns instead.
    text = str(exc)
    if (
        "seat_one_meeting_per_slot" in text
        or "meetingseat.participant_id" in text
        or is_overlap_refusal(exc)
    ):
        return PlaceTaken(
            "person_busy",
            _("%(first)s or %(second)s already has a meeting at that time.")
            % {"first": counterpart.person.name, "second": candidate.person.name},
        )
    if "meeting_table_once_per_slot" in text or "meetings_meeting.slot_id" in text:
        return PlaceTaken(
            "table_taken",
            _("Table %(table)s is already taken at that time.") % {"table": place.table},
        )
    if "request_one_active_per_pair" in text:
        return PlaceTaken(
            "already_requested",
            _("%(first)s and %(second)s already have an open meeting request.")
            % {"first": counterpart.person.name, "second": candidate.person.name},
        )
    return PlaceTaken("conflict", _("The place was taken by someone else meanwhile."))


def _book(
    counterpart: Participant, candidate: Participant, place: FreedPlace, actor, now
) -> Meeting:
    request = MeetingRequest.objects.create(
        event=counterpart.event,
        key=f"req-{uuid.uuid4().hex[:12]}",
        sender=counterpart,
        recipient=candidate,
        sender_organisation_id=counterpart.event_organisation_id,
        recipient_organisation_id=candidate.event_organisation_id,
        status=RequestStatus.ACCEPTED,
        responded_at=now,
        message=_("A meeting place freed by a no-show, offered to a recommended match."),
    )
    MeetingRequestChange.objects.create(
        request=request,
        from_status="",
        to_status=RequestStatus.ACCEPTED,
        actor=actor,
        source="no_show",
        note=f"place of {place.request} freed by a no-show",
    )
    meeting = Meeting.objects.create(
        event=counterpart.event, request=request, slot=place.slot, table=place.table
    )
    MeetingSeat.objects.bulk_create(
        MeetingSeat(meeting=meeting, participant=person, slot=place.slot)
        for person in (counterpart, candidate)
    )
    return meeting


def _tell(counterpart: Participant, candidate: Participant, place: FreedPlace) -> None:
    event = counterpart.event
    for person, other in ((candidate, counterpart), (counterpart, candidate)):
        with in_language_of_participant(person):
            when = event_time_text(event, place.slot.starts_at)
            subject = _("A meeting with %(name)s at %(time)s") % {
                "name": other.person.name,
                "time": when,
            }
            body = _(
                "A meeting place opened up at %(event)s and you were recommended to each "
                "other: meet %(name)s (%(organisation)s) at %(time)s, table %(table)s.\n\n"
                "If you cannot make it, cancel the meeting on your meetings page so that "
                "the place can go to someone else:\n%(url)s"
            ) % {
                "event": display_name(event),
                "name": other.person.name,
                "organisation": other.event_organisation.organisation.name,
                "time": when,
                "table": place.table,
                "url": meetings_page_url(event),
            }
        queue_mail(person.person.email, subject, body, event=event, kind="no_show_offer")
