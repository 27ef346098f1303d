"""Nobody has two meetings at once across overlapping sessions (parallel rooms).

Uniqueness of (participant, slot) only sees one session; these bookings use slots of two
sessions whose times overlap. Run on SQLite (the domain's check inside the serialised
write refuses them) and on PostgreSQL (the exclusion constraint refuses them as well).
"""

import datetime as dt

import pytest

from superconnector.engine.scheduling import Placement, Schedule
from superconnector.events.models import Slot
from superconnector.meetings.domain.noshow import FreedPlace, PlaceTaken, book_place
from superconnector.meetings.domain.schedule import build_problem, schedule_event, store_schedule
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat
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
    # Hall A: 9:00, 9:20, 9:40. Hall B, ten minutes later: 9:10, 9:30, 9:50.
    MeetingSessionFactory(event=event, key="hall-a", location="Hall A", tables=5)
    MeetingSessionFactory(
        event=event,
        key="hall-b",
        location="Hall B",
        start=dt.time(9, 10),
        end=dt.time(10, 10),
        tables=5,
    )
    return event


def slot(event, session: str, index: int) -> Slot:
    return Slot.objects.get(session__event=event, session__key=session, index=index)


def place(event, session: str, index: int, table: str = "T1") -> FreedPlace:
    return FreedPlace(slot(event, session, index), table, None, "gone")


def test_a_person_cannot_be_booked_into_an_overlapping_slot_of_another_session(event):
    amy = ParticipantFactory(event=event, person__name="Amy Leung")
    ben, cai = ParticipantFactory(event=event), ParticipantFactory(event=event)
    book_place(amy, ben, place(event, "hall-a", 0))  # 9:00-9:20

    with pytest.raises(PlaceTaken) as refused:
        book_place(amy, cai, place(event, "hall-b", 0))  # 9:10-9:30, another room

    assert refused.value.code == "person_busy"
    assert str(refused.value) == "Amy Leung already has a meeting at that time."
    assert MeetingSeat.objects.filter(participant=amy).count() == 1
    # All or nothing: the refused booking left no request behind.
    assert MeetingRequest.objects.count() == Meeting.objects.count() == 1


def test_the_other_side_being_busy_is_refused_too(event):
    amy, ben, cai = (ParticipantFactory(event=event) for _ in range(3))
    book_place(amy, ben, place(event, "hall-a", 1))  # 9:20-9:40

    with pytest.raises(PlaceTaken) as refused:
        book_place(cai, ben, place(event, "hall-b", 0))  # 9:10-9:30

    assert refused.value.code == "person_busy"
    assert ben.person.name in str(refused.value)


def test_back_to_back_slots_of_different_sessions_do_not_clash(event):
    amy, ben, cai, dan = (ParticipantFactory(event=event) for _ in range(4))
    book_place(amy, ben, place(event, "hall-b", 0))  # 9:10-9:30
    book_place(amy, cai, place(event, "hall-a", 2))  # 9:40-10:00
    book_place(ben, dan, place(event, "hall-b", 1))  # 9:30-9:50, right after 9:10-9:30

    assert MeetingSeat.objects.count() == 6


def test_a_schedule_that_double_books_across_sessions_is_not_stored(event):
    amy, ben, cai = (ParticipantFactory(event=event) for _ in range(3))
    first = MeetingRequestFactory(event=event, sender=amy, recipient=ben)
    second = MeetingRequestFactory(event=event, sender=amy, recipient=cai)
    problem = build_problem(event)
    good = Schedule(placements={first.key: Placement(slot(event, "hall-a", 0).pk, "T1")})
    store_schedule(event, problem, good)
    before = sorted(MeetingSeat.objects.values_list("meeting__request__key", "participant"))
    overlapping = Schedule(
        placements={
            first.key: Placement(slot(event, "hall-a", 1).pk, "T1"),  # 9:20-9:40
            second.key: Placement(slot(event, "hall-b", 0).pk, "T1"),  # 9:10-9:30
        }
    )

    with pytest.raises(PlaceTaken) as refused:
        store_schedule(event, problem, overlapping)

    assert refused.value.code == "person_busy"
    assert sorted(MeetingSeat.objects.values_list("meeting__request__key", "participant")) == (
        before
    )
    assert Meeting.objects.get().slot == slot(event, "hall-a", 0)


def all_pairs_meet(event, people: int) -> None:
    participants = [ParticipantFactory(event=event) for _ in range(people)]
    for a in participants:
        for b in participants:
            if a.pk < b.pk:
                MeetingRequestFactory(event=event, sender=a, recipient=b)


def assert_nobody_meets_twice_at_once() -> None:
    seats = MeetingSeat.objects.select_related("slot")
    for seat in seats:
        clashes = seats.filter(
            participant=seat.participant,
            slot__starts_at__lt=seat.slot.ends_at,
            slot__ends_at__gt=seat.slot.starts_at,
        ).exclude(pk=seat.pk)
        assert not clashes.exists(), seat


def test_scheduling_events_with_overlapping_sessions_still_works(event):
    all_pairs_meet(event, 4)

    run = schedule_event(event, time_limit=5)

    assert len(run.schedule.placements) == Meeting.objects.count() == 6
    assert_nobody_meets_twice_at_once()
