"""Day-of repairs stay local: a late accept is placed where both are free and a cancelled
meeting's place is offered, and no other meeting moves."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.publication import publish_event_schedule
from superconnector.meetings.domain.repair import (
    accept_and_place,
    cancel_and_offer,
    place_without_moving,
)
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat

pytestmark = pytest.mark.django_db
# The morning of the event, before its first slot (09:00 Beijing time).
MORNING = dt.datetime(2026, 12, 8, 0, 30, tzinfo=dt.UTC)


@pytest.fixture
def event(document):
    import_document(document)
    return Event.objects.get()


@pytest.fixture
def published(event):
    schedule_event(event, time_limit=5)  # r1 (p2-p1, locked 09:25 T1) and r3 (p3-p1)
    publish_event_schedule(event, None)
    event.refresh_from_db()
    return event


def placements(event) -> dict[str, tuple[int, str]]:
    return {
        m.request.key: (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event).select_related("request")
    }


def person(key: str) -> Participant:
    return Participant.objects.select_related("person").get(key=key)


def test_a_late_accept_is_placed_without_moving_anyone(published):
    before = placements(published)
    peter = person("p3")  # attends the afternoon only; Li Na (p4) asked him (r2)
    repair = accept_and_place(MeetingRequest.objects.get(key="r2"), by=peter, now=MORNING)
    meeting = repair.placed
    assert meeting is not None and repair.request.status == "accepted"
    after = placements(published)
    assert {k: v for k, v in after.items() if k != "r2"} == before  # nothing else moved
    assert meeting.slot.session.key == "pm"  # where Peter is
    # Both free there, at a table nobody uses then.
    busy = MeetingSeat.objects.filter(slot=meeting.slot).values_list("participant__key", flat=True)
    assert sorted(busy) == ["p3", "p4"]
    assert (meeting.slot_id, meeting.table) not in before.values()
    told = OutgoingMail.objects.filter(kind="late_accept_placed")
    assert sorted(m.to for m in told) == ["li.na@example.com", "peter.ho@example.com"]
    # Each in their own language (Li Na reads Simplified, Peter Traditional), the table named.
    bodies = {m.to: m.body for m in told}
    assert f"{meeting.table} 号桌" in bodies["li.na@example.com"]
    assert f"{meeting.table} 號桌" in bodies["peter.ho@example.com"]


def test_before_publication_a_late_accept_waits_for_the_run(event):
    schedule_event(event, time_limit=5)
    repair = accept_and_place(MeetingRequest.objects.get(key="r2"), by=person("p3"), now=MORNING)
    assert repair.placed is None and "r2" not in placements(event)


def test_no_place_without_moving_means_no_place(published):
    before = placements(published)
    request = MeetingRequest.objects.get(key="r2")
    MeetingRequest.objects.filter(pk=request.pk).update(status="accepted")
    # Every afternoon slot has begun: nowhere is left ahead for Peter.
    evening = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)  # 16:00 in Beijing
    assert place_without_moving(MeetingRequest.objects.get(key="r2"), now=evening) is None
    assert placements(published) == before


def test_a_cancellation_on_the_day_offers_the_place_and_moves_nothing_else(published):
    amy, zhang, li = person("p1"), person("p2"), person("p4")
    MeetingSuggestion.objects.create(
        event=published, participant=amy, suggested=li, score=1.0, rank=1
    )
    Participant.objects.filter(pk=li.pk).update(checked_in_at=timezone.now())
    before = placements(published)
    freed = before["r3"]  # Peter calls off his meeting with Amy
    repair = cancel_and_offer(MeetingRequest.objects.get(key="r3"), by=person("p3"), now=MORNING)
    assert repair.request.status == "cancelled"
    assert repair.offer is not None and repair.offer.to == li
    meeting = repair.offer.meeting
    assert (meeting.slot_id, meeting.table) == freed
    after = placements(published)
    assert after[meeting.request.key] == freed
    assert {k: v for k, v in after.items() if k not in ("r3", meeting.request.key)} == {
        k: v for k, v in before.items() if k != "r3"
    }
    assert zhang.pk not in {s.participant_id for s in MeetingSeat.objects.filter(meeting=meeting)}
