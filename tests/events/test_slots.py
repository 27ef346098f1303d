import datetime as dt

import pytest

from superconnector.events.domain.slots import compute_slot_times, sync_slots
from tests.factories import EventFactory, MeetingSessionFactory


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def test_slots_follow_the_exchange_format_rule():
    times = compute_slot_times(t("09:00"), t("10:00"), 20, 5)
    assert times == [(t("09:00"), t("09:20")), (t("09:25"), t("09:45"))]


def test_last_slot_may_end_exactly_at_the_session_end():
    assert compute_slot_times(t("09:00"), t("10:00"), 20)[-1] == (t("09:40"), t("10:00"))


def test_no_slot_when_the_session_is_shorter_than_a_meeting():
    assert compute_slot_times(t("09:00"), t("09:10"), 20) == []


@pytest.mark.django_db
def test_sync_slots_uses_the_event_time_zone_and_follows_edits():
    session = MeetingSessionFactory(event=EventFactory(timezone="Europe/Berlin"))
    first = session.slots.order_by("index").first()
    assert first.starts_at == dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)  # 09:00 CET
    session.end = t("09:40")
    session.save()
    sync_slots(session)
    assert session.slots.count() == 2
    session.end = t("11:00")
    session.gap_minutes = 10
    session.save()
    sync_slots(session)
    starts = [
        s.starts_at.astimezone(session.event.tzinfo).time() for s in session.slots.order_by("index")
    ]
    assert starts == [t("09:00"), t("09:30"), t("10:00"), t("10:30")]
