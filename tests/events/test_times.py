"""The event's time zone as readers name it: pages' "Times are …" and mails' times."""

import datetime as dt

import pytest
from django.utils import translation

from superconnector.events.domain.times import event_zone_text, zone_name, zone_text
from superconnector.events.models import Event


def event_in(zone: str, starts_on: dt.date, ends_on: dt.date | None = None) -> Event:
    return Event(
        slug="e", name="E", timezone=zone, starts_on=starts_on, ends_on=ends_on or starts_on
    )


DECEMBER = dt.date(2026, 12, 7)
JUNE = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Hong_Kong", "Hong Kong time (UTC+8)"),
        ("Asia/Shanghai", "Beijing time (UTC+8)"),  # what Asia/Shanghai is called
        ("Asia/Dubai", "Gulf time (UTC+4)"),
        ("Asia/Kolkata", "Kolkata time (UTC+5:30)"),  # a zone without a name: its city
        ("America/New_York", "New York time (UTC-5)"),  # underscores read as spaces
        ("UTC", "UTC"),
    ],
)
def test_a_zone_reads_as_its_name_and_offset(zone, expected):
    with translation.override("en"):
        assert event_zone_text(event_in(zone, DECEMBER)) == expected


def test_the_offset_is_the_one_on_the_events_dates():
    """Daylight saving: London and New York move their clocks; the offset shown is the
    one in force on the event's dates, not today's or the zone's standard one."""
    with translation.override("en"):
        assert event_zone_text(event_in("Europe/London", DECEMBER)) == "London time (UTC)"
        assert event_zone_text(event_in("Europe/London", JUNE)) == "London time (UTC+1)"
        assert event_zone_text(event_in("America/New_York", JUNE)) == "New York time (UTC-4)"
        # a three-day fair across the night the clocks go back shows both offsets
        across = event_in("Europe/Berlin", dt.date(2026, 10, 24), dt.date(2026, 10, 26))
        assert event_zone_text(across) == "Berlin time (UTC+2 / UTC+1)"


def test_a_mail_time_gives_the_offset_at_that_moment():
    london = event_in("Europe/London", DECEMBER)
    with translation.override("en"):
        assert zone_text(london, dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC)) == "London time, UTC+1"
        assert zone_text(london, dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)) == "London time, UTC"


@pytest.mark.parametrize(("language", "name"), [("zh-hans", "香港时间"), ("zh-hant", "香港時間")])
def test_the_zone_is_named_in_the_readers_language(language, name):
    event = event_in("Asia/Hong_Kong", DECEMBER)
    with translation.override(language):
        assert zone_name(event) == name
        shown = event_zone_text(event)
    assert shown.startswith(name) and "UTC+8" in shown and "Asia/" not in shown
