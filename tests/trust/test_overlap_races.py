"""PostgreSQL refuses two meetings of one person at once, across overlapping sessions.

The domain's overlap check runs before the INSERT without a lock, so fifty bookings
released together all pass it; only the exclusion constraint (migration 0005) keeps one.
The constraint is checked at commit unless a writer asks for it at once, so re-timing a
session, which moves its slots one by one, is not refused half-way.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from superconnector.events.domain.slots import sync_slots
from superconnector.events.models import MeetingSession, Slot
from superconnector.meetings.domain.noshow import FreedPlace, PlaceTaken, book_place
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat
from tests.factories import (
    EventFactory,
    MeetingRequestFactory,
    MeetingSessionFactory,
    ParticipantFactory,
)
from tests.trust.conftest import postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50


@pytest.fixture
def event():
    event = EventFactory()
    # Two rooms, ten minutes apart: every Hall A slot overlaps two Hall B slots.
    MeetingSessionFactory(event=event, key="hall-a", tables=ATTEMPTS)
    MeetingSessionFactory(
        event=event, key="hall-b", start=dt.time(9, 10), end=dt.time(10, 10), tables=ATTEMPTS
    )
    return event


def slot(event, session: str, index: int) -> Slot:
    return Slot.objects.get(session__event=event, session__key=session, index=index)


def seat_times(participant) -> list[tuple]:
    """The database's copy of each seat's slot times (columns only PostgreSQL has)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT starts_at, ends_at FROM meetings_meetingseat "
            "WHERE participant_id = %s ORDER BY starts_at",
            [participant.pk],
        )
        return cursor.fetchall()


def test_fifty_bookings_of_one_person_in_overlapping_sessions_leave_one_meeting(
    event, many_connections
):
    amy = ParticipantFactory(event=event, person__name="Amy Leung")
    candidates = [ParticipantFactory(event=event) for _ in range(ATTEMPTS)]
    # Half in Hall A at 9:00, half in Hall B at 9:10, each at its own table: only Amy's
    # time can clash, and within one slot the per-slot uniqueness is not what decides.
    places = [slot(event, "hall-a", 0), slot(event, "hall-b", 0)]
    calls = [
        lambda c=c, i=i: book_place(amy, c, FreedPlace(places[i % 2], f"T{i}", amy, "gone"))
        for i, c in enumerate(candidates)
    ]

    results = race(calls)

    won = [value for kind, value in results if kind == "ok"]
    lost = [value for kind, value in results if kind == "error"]
    assert len(won) == 1, lost[:3]
    assert all(isinstance(exc, PlaceTaken) and exc.code == "person_busy" for exc in lost), lost
    assert all("Amy Leung" in str(exc) for exc in lost), lost[:3]
    assert MeetingSeat.objects.filter(participant=amy).count() == 1
    assert MeetingRequest.objects.count() == Meeting.objects.count() == 1


def test_the_database_refuses_an_overlap_the_code_did_not_check(event):
    """Seats written straight through the ORM, as a writer that forgot the check would."""
    amy, ben, cai = (ParticipantFactory(event=event) for _ in range(3))
    first = MeetingRequestFactory(event=event, sender=amy, recipient=ben)
    second = MeetingRequestFactory(event=event, sender=amy, recipient=cai)

    def place(request, at: Slot) -> None:
        meeting = Meeting.objects.create(event=event, request=request, slot=at, table="T1")
        MeetingSeat.objects.bulk_create(
            MeetingSeat(meeting=meeting, participant_id=pid, slot=at)
            for pid in (request.sender_id, request.recipient_id)
        )

    place(first, slot(event, "hall-a", 0))  # 9:00-9:20
    refused = pytest.raises(IntegrityError, match="seat_no_overlapping_meetings")
    with refused, transaction.atomic():  # refused at commit
        place(second, slot(event, "hall-b", 0))  # 9:10-9:30

    assert MeetingSeat.objects.filter(participant=amy).count() == 1


def test_seats_follow_their_slots_when_a_session_is_retimed(event):
    amy, ben, cai = (ParticipantFactory(event=event) for _ in range(3))
    # Amy at 9:00 and 9:20 in Hall A. Moving Hall A twenty minutes later moves slot 0 onto
    # 9:20 while slot 1 is still there: allowed, because the check waits for the commit.
    book_place(amy, ben, FreedPlace(slot(event, "hall-a", 0), "T1", amy, "gone"))
    book_place(amy, cai, FreedPlace(slot(event, "hall-a", 1), "T1", amy, "gone"))
    hall_a = MeetingSession.objects.get(event=event, key="hall-a")
    hall_a.start, hall_a.end = dt.time(9, 20), dt.time(10, 20)
    hall_a.save()

    sync_slots(hall_a)

    assert [
        (start.astimezone(event.tzinfo).time(), end.astimezone(event.tzinfo).time())
        for start, end in seat_times(amy)
    ] == [
        (dt.time(9, 20), dt.time(9, 40)),
        (dt.time(9, 40), dt.time(10, 0)),
    ]


def test_retiming_a_session_into_an_overlap_is_refused(event):
    amy, ben, cai = (ParticipantFactory(event=event) for _ in range(3))
    book_place(amy, ben, FreedPlace(slot(event, "hall-a", 0), "T1", amy, "gone"))  # 9:00
    book_place(amy, cai, FreedPlace(slot(event, "hall-b", 1), "T1", amy, "gone"))  # 9:30
    hall_a = MeetingSession.objects.get(event=event, key="hall-a")
    hall_a.start, hall_a.end = dt.time(9, 20), dt.time(10, 20)  # slot 0 would be 9:20-9:40

    refused = pytest.raises(IntegrityError, match="seat_no_overlapping_meetings")
    with refused, transaction.atomic():  # refused at commit
        hall_a.save()
        sync_slots(hall_a)

    assert slot(event, "hall-a", 0).starts_at.astimezone(event.tzinfo).time() == dt.time(9, 0)
    assert len(seat_times(amy)) == 2
