"""What people take to the event: agendas, calendar feeds and the venue's table plan."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from superconnector.core.domain.ordering import natural_key
from superconnector.core.domain.spreadsheets import xlsx_bytes
from superconnector.directory.domain.visibility import (
    UNLISTED_NAME,
    is_listed,
    nameable_ids,
)
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.meetings.models import Meeting, RequestStatus

CALENDAR_DOMAIN = "superconnector"


@dataclass(frozen=True)
class AgendaItem:
    request: str
    starts_at: datetime
    ends_at: datetime
    table: str
    location: str
    counterpart: str
    counterpart_title: str
    counterpart_organisation: str
    sequence: int


def _meetings(event: Event):
    return (
        Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
        .select_related(
            "slot__session",
            "request__sender__person__user",
            "request__recipient__person__user",
            "request__sender__event_organisation__organisation",
            "request__recipient__event_organisation__organisation",
        )
        .order_by("slot__starts_at", "table")
    )


def agenda_for(participant: Participant) -> list[AgendaItem]:
    """The participant's meetings in time order, with their counterpart."""
    tz = participant.event.tzinfo
    items = []
    meetings = list(_meetings(participant.event).filter(seats__participant=participant))
    others = [
        m.request.recipient if m.request.sender_id == participant.pk else m.request.sender
        for m in meetings
    ]
    named = nameable_ids(participant, {other.pk for other in others})
    for meeting, other in zip(meetings, others, strict=True):
        items.append(agenda_item(meeting, other, tz, named=other.pk in named))
    return items


def agendas_by_participant(event: Event) -> dict[int, list[AgendaItem]]:
    """Every participant's agenda in one query (agenda_for does one participant)."""
    tz = event.tzinfo
    agendas: dict[int, list[AgendaItem]] = defaultdict(list)
    for meeting in _meetings(event):
        request = meeting.request
        for me, other in ((request.sender, request.recipient), (request.recipient, request.sender)):
            # (Meetings are between organisations, so "listed" is all the rule asks here.)
            agendas[me.pk].append(agenda_item(meeting, other, tz, named=is_listed(other)))
    return dict(agendas)


def agenda_item(meeting: Meeting, other: Participant, tz, *, named: bool = True) -> AgendaItem:
    """One line of an agenda: the meeting as seen by the one who meets `other`. Without
    `named`, `other` left the listings (directory/domain/visibility.py): the meeting, which
    had begun by then, stays, but they are no longer named."""
    request = meeting.request
    return AgendaItem(
        request=request.key,
        starts_at=meeting.slot.starts_at.astimezone(tz),
        ends_at=meeting.slot.ends_at.astimezone(tz),
        table=meeting.table,
        location=meeting.slot.session.location,
        counterpart=other.person.name if named else str(UNLISTED_NAME),
        counterpart_title=other.person.title if named else "",
        counterpart_organisation=other.event_organisation.organisation.name if named else "",
        sequence=request.meeting_sequence,
    )


def calendar_for(participant: Participant) -> bytes:
    """An iCalendar feed of the participant's meetings: stable UIDs, SEQUENCE raised when a
    meeting moves, times in the event's time zone (with its VTIMEZONE)."""
    from icalendar import Calendar  # noqa: PLC0415 (icalendar takes about 0.2 s to import; only calendar files need it)
    from icalendar import Event as CalendarEvent  # noqa: PLC0415 (icalendar takes about 0.2 s to import; only calendar files need it)

    event = participant.event
    calendar = Calendar()
    calendar.add("prodid", "-//Superconnector//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.name}: {participant.person.name}")
    calendar.add("x-wr-timezone", event.timezone)
    for item in agenda_for(participant):
        entry = CalendarEvent()
        entry.add("uid", f"{event.slug}.{item.request}@{CALENDAR_DOMAIN}")
        entry.add("sequence", item.sequence)
        entry.add("dtstamp", item.starts_at)
        entry.add("dtstart", item.starts_at)
        entry.add("dtend", item.ends_at)
        entry.add("summary", f"Meeting: {item.counterpart} ({item.counterpart_organisation})")
        place = f"Table {item.table}" + (f", {item.location}" if item.location else "")
        entry.add("location", f"{place} – {event.venue}" if event.venue else place)
        details = [
            item.counterpart,
            item.counterpart_title,
            item.counterpart_organisation,
            event.name,
        ]
        entry.add("description", "\n".join(d for d in details if d))
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


TABLE_PLAN_COLUMNS = [
    "date",
    "start",
    "end",
    "location",
    "table",
    "participant_a",
    "organisation_a",
    "participant_b",
    "organisation_b",
    "request",
]


def table_plan_rows(event: Event):
    """One row per meeting, in the order venue staff walk the room: time, then table
    (T2 before T10)."""
    tz = event.tzinfo
    meetings = sorted(_meetings(event), key=lambda m: (m.slot.starts_at, natural_key(m.table)))
    for meeting in meetings:
        request = meeting.request
        start = meeting.slot.starts_at.astimezone(tz)
        yield [
            start.date().isoformat(),
            start.strftime("%H:%M"),
            meeting.slot.ends_at.astimezone(tz).strftime("%H:%M"),
            meeting.slot.session.location,
            meeting.table,
            request.sender.person.name,
            request.sender.event_organisation.organisation.name,
            request.recipient.person.name,
            request.recipient.event_organisation.organisation.name,
            request.key,
        ]


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection). For CSV only:
    XLSX cells say their type (core/domain/spreadsheets.py)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table_plan_csv(event: Event) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TABLE_PLAN_COLUMNS)
    for row in table_plan_rows(event):
        writer.writerow([spreadsheet_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Chinese correctly


def table_plan_xlsx(event: Event) -> bytes:
    """The table plan as a workbook: text cells as they are, no apostrophe guard."""
    return xlsx_bytes("Table plan", TABLE_PLAN_COLUMNS, table_plan_rows(event))
