"""Nobody has two meetings at once, whichever sessions their slots belong to.

Sessions may run in parallel rooms, so two slots of different sessions can overlap in
time. The unique constraint on (participant, slot) only sees one slot; overlaps across
sessions are refused as follows:

- **PostgreSQL** refuses them itself. Migration 0005 gives each seat a copy of its slot's
  start and end, and an exclusion constraint (btree_gist) over (participant, time range).
  The copies are kept by triggers, not by this code: every writer of seats (booking,
  scheduling, the exchange importer) and every re-timing of a session's slots is covered
  without any of them knowing about the columns. The constraint is checked at commit,
  because re-timing a session moves its slots one by one and passes through states that
  overlap for an instant; writers that want the refusal at once, to report it, call
  `check_overlaps_at_once` first.
- **SQLite** serialises writers (transactions begin IMMEDIATE), so a check made inside
  the writing transaction cannot be overtaken by another writer: `refuse_busy_people`
  before a booking, `refuse_double_bookings` after a schedule is written.

Tables need no such rule: a table belongs to its session (a session is one room with its
own tables; the scheduler numbers each session's tables T1..Tn), and a session's slots never
overlap each other, so (slot, table) uniqueness already keeps one meeting per table at a
time.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils.translation import gettext as _

from superconnector.directory.models import Participant
from superconnector.events.models import Event, Slot
from superconnector.meetings.domain.requests import RequestRefused
from superconnector.meetings.models import MeetingSeat

# Named in migration 0005 (PostgreSQL only); IntegrityErrors are recognised by it.
OVERLAP_CONSTRAINT = "seat_no_overlapping_meetings"


class PlaceTaken(RequestRefused):
    """A booking was refused: someone else took the person, table or pair first."""


def database_refuses_overlaps() -> bool:
    return connection.vendor == "postgresql"


def check_overlaps_at_once() -> None:
    """Have this transaction's overlapping seats refused at the INSERT, not at commit, so
    that the caller can catch the IntegrityError and say what was taken."""
    if database_refuses_overlaps():
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {OVERLAP_CONSTRAINT} IMMEDIATE")


def refuse_busy_people(people: Iterable[Participant], slot: Slot) -> None:
    """Raise PlaceTaken("person_busy") if one of `people` has a meeting overlapping `slot`.

    Call it inside the transaction that books: on SQLite that makes it race-free.
    """
    people = list(people)
    busy_ids = set(
        MeetingSeat.objects.filter(
            participant__in=people,
            slot__starts_at__lt=slot.ends_at,
            slot__ends_at__gt=slot.starts_at,
        ).values_list("participant_id", flat=True)
    )
    for person in people:
        if person.pk in busy_ids:
            raise PlaceTaken(
                "person_busy",
                _("%(name)s already has a meeting at that time.") % {"name": person.person.name},
            )


def refuse_double_bookings(event: Event) -> None:
    """Raise PlaceTaken("person_busy") if anyone in `event` has two meetings at once.

    For writers of many meetings (a schedule): one pass over the event's seats in time
    order, run inside the writing transaction so that raising rolls the whole write back.
    """
    seats = (
        MeetingSeat.objects.filter(meeting__event=event)
        .order_by("participant_id", "slot__starts_at", "pk")
        .values_list("participant_id", "slot__starts_at", "slot__ends_at", "meeting__request__key")
    )
    previous = None
    for participant_id, starts_at, ends_at, key in seats.iterator(chunk_size=5000):
        if previous and previous[0] == participant_id and starts_at < previous[2]:
            person = Participant.objects.select_related("person").get(pk=participant_id)
            raise PlaceTaken(
                "person_busy",
                _("%(name)s would have two meetings at once (%(first)s and %(second)s).")
                % {"name": person.person.name, "first": previous[3], "second": key},
            )
        if not previous or previous[0] != participant_id or ends_at > previous[2]:
            previous = (participant_id, starts_at, ends_at, key)


def is_overlap_refusal(error: Exception) -> bool:
    """Whether an IntegrityError is PostgreSQL refusing two meetings of one person at once."""
    return OVERLAP_CONSTRAINT in str(error)
