"""A delegate's own availability: saving it, its checks, the published schedule, and the
scheduler reading what was saved."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from superconnector.events.models import AuditEntry
from superconnector.meetings.domain.availability import (
    AvailabilityRefused,
    Block,
    availability_of,
    save_availability,
)
from superconnector.meetings.domain.schedule import build_problem
from superconnector.meetings.models import Availability, UnavailableBlock
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db

HK = zoneinfo.ZoneInfo("Asia/Hong_Kong")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HK)


@pytest.fixture
def expo() -> Scenario:
    """Amy and Ben; sessions am (8 Dec 09:00-10:00) and pm (8 Dec 14:00-15:00), 20-minute
    slots; r1 accepted, scheduled in am's first slot (09:00)."""
    return (
        Scenario.create("expo")
        .organisation("law")
        .organisation("ai")
        .participant("amy", "law")
        .participant("ben", "ai")
        .session("am")
        .session("pm", start=dt.time(14, 0), end=dt.time(15, 0))
        .request("r1", "amy", "ben", "accepted")
        .meeting("r1", "am")
    )


def test_without_a_row_every_session_and_no_block(expo):
    state = availability_of(expo.people["amy"])
    assert state.session_ids == {expo.sessions["am"].pk, expo.sessions["pm"].pk}
    assert state.blocks == ()


def test_save_keeps_sessions_and_blocks_and_is_audited(expo):
    amy = expo.people["amy"]
    block = Block(at(8, 14, 20), at(8, 14, 40))
    save_availability(amy, session_ids=[expo.sessions["pm"].pk], blocks=[block])
    state = availability_of(amy)
    assert state.session_ids == {expo.sessions["pm"].pk}
    assert state.blocks == (block,)
    entry = AuditEntry.objects.get(subject=f"availability:{amy.key}")
    assert entry.event == expo.event and entry.detail["sessions"] == [expo.sessions["pm"].pk]
    # Choosing every session again stores "all sessions", so sessions added later count too.
    save_availability(amy, session_ids=state.session_ids | {expo.sessions["am"].pk}, blocks=[])
    amy.refresh_from_db()
    assert (
        Availability.objects.get(participant=amy).all_sessions is True
        and availability_of(amy).blocks == ()
    )


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([Block(at(8, 11), at(8, 10))], "end after it starts"),
        ([Block(at(10, 11), at(10, 12))], "within one day"),  # no session on 10 Dec
        ([Block(at(8, 23), at(9, 1))], "within one day"),  # across midnight
        ([Block(at(8, 9), at(8, 10)), Block(at(8, 9, 30), at(8, 11))], "overlap"),
        ([Block(at(8, 9), at(8, 10)), Block(at(8, 9), at(8, 10))], "overlap"),
    ],
)
def test_invalid_blocks_are_refused_and_nothing_changes(expo, blocks, message):
    amy = expo.people["amy"]
    with pytest.raises(AvailabilityRefused, match=message):
        save_availability(amy, session_ids=[expo.sessions["am"].pk], blocks=blocks)
    assert not UnavailableBlock.objects.filter(availability__participant=amy).exists()
    assert not AuditEntry.objects.filter(subject=f"availability:{amy.key}").exists()


def test_sessions_of_another_event_are_refused(expo):
    other = Scenario.create("other").session("x")
    with pytest.raises(AvailabilityRefused):
        save_availability(expo.people["amy"], session_ids=[other.sessions["x"].pk], blocks=[])


def test_after_publication_a_change_against_a_scheduled_meeting_is_refused(expo):
    expo.event.schedule_published_at = timezone.now()
    expo.event.save()
    amy, am, pm = expo.people["amy"], expo.sessions["am"].pk, expo.sessions["pm"].pk
    with pytest.raises(AvailabilityRefused, match="already have a meeting scheduled"):
        save_availability(amy, session_ids=[pm], blocks=[])  # leaving am drops r1
    with pytest.raises(AvailabilityRefused, match="already have a meeting scheduled"):
        save_availability(amy, session_ids=[am, pm], blocks=[Block(at(8, 9, 10), at(8, 9, 30))])
    # Ben too: the meeting is his as much as hers.
    with pytest.raises(AvailabilityRefused):
        save_availability(expo.people["ben"], session_ids=[pm], blocks=[])
    # A block that leaves 09:00-09:20 free is fine.
    save_availability(amy, session_ids=[am, pm], blocks=[Block(at(8, 9, 20), at(8, 10))])
    assert len(availability_of(amy).blocks) == 1


def test_before_publication_the_same_change_is_saved(expo):
    save_availability(expo.people["amy"], session_ids=[expo.sessions["pm"].pk], blocks=[])
    assert availability_of(expo.people["amy"]).session_ids == {expo.sessions["pm"].pk}


def test_the_scheduler_honours_what_the_delegate_saved(expo):
    amy = expo.people["amy"]
    pm = expo.sessions["pm"]
    save_availability(amy, session_ids=[pm.pk], blocks=[Block(at(8, 14, 20), at(8, 14, 40))])
    problem = build_problem(expo.event, now=at(1, 0))
    pm_slots = list(pm.slots.order_by("index"))
    assert problem.availability[amy.key] == {pm_slots[0].pk, pm_slots[2].pk}
    assert "ben" not in problem.availability  # Ben: no row, every slot
