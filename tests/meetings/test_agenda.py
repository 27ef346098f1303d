import csv
import io

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.domain.agenda import (
    agenda_for,
    calendar_for,
    spreadsheet_safe,
    table_plan_csv,
    table_plan_xlsx,
)
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document):
    document["organisations"][0]["name"] = '=HYPERLINK("http://evil")'  # hostile name
    import_document(document)
    event = Event.objects.get()
    schedule_event(event, time_limit=5)
    return event


def test_agenda_lists_counterparts_in_time_order(event):
    amy = Participant.objects.get(key="p1")
    items = agenda_for(amy)
    assert [i.counterpart for i in items] == ["Zhang Wei", "Peter Ho"]
    assert items[0].starts_at.strftime("%H:%M") == "09:25"  # Asia/Shanghai wall clock
    assert items[0].table == "T1" and items[0].counterpart_organisation == "Zhiyuan AI"


def test_calendar_has_stable_uids_local_times_and_a_time_zone(event):
    amy = Participant.objects.get(key="p1")
    calendar = Calendar.from_ical(calendar_for(amy))
    entries = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in entries] == [
        "bj-hk-2026.r1@superconnector",
        "bj-hk-2026.r3@superconnector",
    ]
    start = entries[0].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Shanghai" and start.strftime("%H:%M") == "09:25"
    assert [str(t["tzid"]) for t in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert calendar_for(amy) == calendar_for(amy)  # same input, same feed


def test_sequence_rises_when_a_meeting_moves(event):
    from superconnector.meetings.models import Availability, UnavailableBlock

    amy = Participant.objects.get(key="p1")
    first = {
        str(e["uid"]): int(e["sequence"])
        for e in Calendar.from_ical(calendar_for(amy)).walk("VEVENT")
    }
    slot = Meeting.objects.get(request__key="r3").slot
    # Peter (p3) can no longer make r3's slot: re-planning has to move the meeting.
    availability = Availability.objects.get(participant__key="p3")
    UnavailableBlock.objects.create(
        availability=availability, starts_at=slot.starts_at, ends_at=slot.ends_at
    )
    schedule_event(event, time_limit=5)
    assert Meeting.objects.get(request__key="r3").slot_id != slot.pk
    second = {
        str(e["uid"]): int(e["sequence"])
        for e in Calendar.from_ical(calendar_for(amy)).walk("VEVENT")
    }
    assert (
        second["bj-hk-2026.r1@superconnector"] == first["bj-hk-2026.r1@superconnector"]
    )  # unmoved
    assert second["bj-hk-2026.r3@superconnector"] == first["bj-hk-2026.r3@superconnector"] + 1


def test_table_plan_csv_and_xlsx_are_formula_safe(event):
    rows = list(csv.reader(io.StringIO(table_plan_csv(event).decode("utf-8-sig"))))
    assert rows[0][:5] == ["date", "start", "end", "location", "table"]
    assert len(rows) == 1 + Meeting.objects.count()
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    # XLSX: the name as typed, in a text cell (never a formula), without the CSV's apostrophe.
    sheet = load_workbook(io.BytesIO(table_plan_xlsx(event))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    hostile = [c for c in cells if c.value == '=HYPERLINK("http://evil")']
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert not any(c.data_type == "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in cells)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-x", "'-x"), ("@a", "'@a"), ("ok", "ok"), (3, 3)],
)
def test_spreadsheet_safe(raw, safe):
    assert spreadsheet_safe(raw) == safe
