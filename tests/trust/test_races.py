"""Races on PostgreSQL: many requests for the same person, table or pair at the same moment.

The checks the domain makes before writing run without locks, so they can all pass at once;
what keeps the data right is the database (unique constraints, row locks). Each test races
threads on their own connections and checks that exactly one write won and the others were
told plainly why not.
"""

import threading

import pytest

from superconnector.core.models import OutgoingMail
from superconnector.events.models import Slot
from superconnector.meetings.domain.noshow import FreedPlace, PlaceTaken, book_place
from superconnector.meetings.domain.requests import RequestRefused, accept_request, send_request
from superconnector.meetings.models import (
    ACTIVE_STATUSES,
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    MeetingSeat,
    RequestStatus,
)
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
    MeetingSessionFactory(event=event, tables=ATTEMPTS)
    return event


def first_slot(event) -> Slot:
    return Slot.objects.filter(session__event=event).order_by("starts_at").first()


def outcomes(results):
    won = [value for kind, value in results if kind == "ok"]
    lost = [value for kind, value in results if kind == "error"]
    return won, lost


def test_fifty_bookings_of_one_person_in_one_slot_leave_one_meeting(event, many_connections):
    person = ParticipantFactory(event=event, person__name="Amy Leung")
    candidates = [ParticipantFactory(event=event) for _ in range(ATTEMPTS)]
    slot = first_slot(event)
    # Different tables, so that only the person can clash.
    calls = [
        lambda c=c, i=i: book_place(person, c, FreedPlace(slot, f"T{i}", person, "gone"))
        for i, c in enumerate(candidates)
    ]

    won, lost = outcomes(race(calls))

    assert len(won) == 1, lost[:3]
    assert all(isinstance(exc, PlaceTaken) and exc.code == "person_busy" for exc in lost), lost
    assert "Amy Leung" in str(lost[0]) and "already has a meeting" in str(lost[0])
    assert MeetingSeat.objects.filter(participant=person, slot=slot).count() == 1
    # All or nothing: the losers' requests went with their meetings.
    assert MeetingRequest.objects.count() == Meeting.objects.count() == 1


def test_fifty_bookings_of_one_table_in_one_slot_leave_one_meeting(event, many_connections):
    slot = first_slot(event)
    pairs = [
        (ParticipantFactory(event=event), ParticipantFactory(event=event)) for _ in range(ATTEMPTS)
    ]
    calls = [lambda a=a, b=b: book_place(a, b, FreedPlace(slot, "T1", a, "gone")) for a, b in pairs]

    won, lost = outcomes(race(calls))

    assert len(won) == 1, lost[:3]
    assert all(isinstance(exc, PlaceTaken) and exc.code == "table_taken" for exc in lost), lost
    assert "Table T1 is already taken" in str(lost[0])
    assert Meeting.objects.filter(slot=slot, table="T1").count() == 1
    assert MeetingSeat.objects.count() == 2


def test_crossed_requests_merge_into_one_accepted_request(event, monkeypatch):
    a, b = ParticipantFactory(event=event), ParticipantFactory(event=event)
    # Hold both senders just before their INSERT, after both looked for an open request and
    # found none: the crossing is certain, not left to the scheduler's luck.
    both_looked = threading.Barrier(2)
    create = MeetingRequest.objects.create

    def create_after_both_looked(**fields):
        both_looked.wait(timeout=10)
        return create(**fields)

    monkeypatch.setattr(MeetingRequest.objects, "create", create_after_both_looked)

    results = race([lambda: send_request(a, b), lambda: send_request(b, a)])

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    first, second = (value for _, value in results)
    assert first.pk == second.pk  # both got the one request, as after a sequential merge
    open_requests = MeetingRequest.objects.filter(status__in=ACTIVE_STATUSES)
    assert [r.status for r in open_requests] == [RequestStatus.ACCEPTED]


def test_two_simultaneous_accepts_accept_once(event, monkeypatch):
    request = MeetingRequestFactory(event=event, status=RequestStatus.PENDING)
    # Slow the first accept down while it holds the row, so the second really overlaps it.
    import superconnector.meetings.domain.requests as requests_module

    record = requests_module._record

    def slow_record(*args, **kwargs):
        threading.Event().wait(0.3)
        return record(*args, **kwargs)

    monkeypatch.setattr(requests_module, "_record", slow_record)
    accept = lambda: accept_request(request, by=request.recipient)  # noqa: E731

    won, lost = outcomes(race([accept, accept]))

    assert len(won) == 1 and len(lost) == 1, lost
    assert isinstance(lost[0], RequestRefused) and lost[0].code == "not_pending"
    assert MeetingRequestChange.objects.filter(to_status=RequestStatus.ACCEPTED).count() == 1
    assert OutgoingMail.objects.filter(kind="request_accepted").count() == 1


def test_crossed_bookings_never_double_book_anyone(event, many_connections):
    """Mixed race: people booked with each other in both directions, all in one slot."""
    slot = first_slot(event)
    people = [ParticipantFactory(event=event) for _ in range(10)]
    calls = [
        lambda a=a, b=b, i=i: book_place(a, b, FreedPlace(slot, f"T{i}", a, "gone"))
        for i, (a, b) in enumerate((a, b) for a in people for b in people if a != b)
    ][:ATTEMPTS]

    race(calls)

    seats = list(MeetingSeat.objects.filter(slot=slot).values_list("participant_id", flat=True))
    assert len(seats) == len(set(seats))  # nobody twice in the slot
    pairs = [
        frozenset((r.sender_id, r.recipient_id))
        for r in MeetingRequest.objects.filter(status__in=ACTIVE_STATUSES)
    ]
    assert len(pairs) == len(set(pairs))  # never two open requests for a pair
