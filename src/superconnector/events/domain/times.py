"""Times as mails and pages write them: in the event's time zone, and saying which one.

A delegate flying in from Dubai or London reads a mail before they land, so "10:30" alone
is ambiguous; every time in a mail carries its zone: "10:30 (Beijing time, UTC+8)". Pages
say once which zone their times are in, as people name it and with its offset on the
event's dates ("Times are Hong Kong time (UTC+8)"), never as a tz database name
("Asia/Hong_Kong") that a reader has to decode. The zone's name is in the reader's
language; the offset is computed, never written down, so that a zone with daylight saving
reads right at the event's date (London is UTC+0 in December and UTC+1 in June).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.events.models import Event

# The names people use for the zones our events are held in; other zones are named by
# their city ("Asia/Dubai" -> "Dubai time").
_ZONE_NAMES = {
    "Asia/Shanghai": gettext_lazy("Beijing time"),
    "Asia/Hong_Kong": gettext_lazy("Hong Kong time"),
    "Asia/Macau": gettext_lazy("Macao time"),
    "Asia/Taipei": gettext_lazy("Taipei time"),
    "Asia/Singapore": gettext_lazy("Singapore time"),
    "Asia/Dubai": gettext_lazy("Gulf time"),
    "Asia/Riyadh": gettext_lazy("Riyadh time"),
    "Europe/London": gettext_lazy("London time"),
    "UTC": gettext_lazy("UTC"),
}


def utc_offset_text(moment: dt.datetime) -> str:
    """ "UTC+8", "UTC+5:30", "UTC-3", "UTC" for an aware local time."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(event: Event) -> str:
    """ "Hong Kong time", "Beijing time" (Asia/Shanghai), "Dubai time": the event's zone as
    people call it, in the active language; a zone we have no name for is called by its
    city ("America/New_York" -> "New York time")."""
    known = _ZONE_NAMES.get(event.timezone)
    if known is not None:
        return str(known)
    city = event.timezone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def event_offset_text(event: Event) -> str:
    """ "UTC+8": the zone's offset on the event's dates (at midday, clear of the night-time
    changes); "UTC+1 / UTC+0" for the rare event during which the clocks change."""
    tz = event.tzinfo
    offsets: list[str] = []
    day = event.starts_on
    while day <= event.ends_on:
        offset = utc_offset_text(dt.datetime.combine(day, dt.time(12), tzinfo=tz))
        if offset not in offsets:
            offsets.append(offset)
        day += dt.timedelta(days=1)
    return " / ".join(offsets)


def event_zone_text(event: Event) -> str:
    """ "Hong Kong time (UTC+8)": the zone a page's times are in, for "Times are …" and the
    event's own page; "UTC" alone for an event held in UTC."""
    name, offset = zone_name(event), event_offset_text(event)
    if name == offset:
        return name
    return _("%(zone)s (%(offset)s)") % {"zone": name, "offset": offset}


def zone_text(event: Event, moment: dt.datetime) -> str:
    """ "Beijing time, UTC+8": the zone's name and its offset at `moment` (a mail's time)."""
    name, offset = zone_name(event), utc_offset_text(moment.astimezone(event.tzinfo))
    if name == offset:
        return name
    return _("%(zone)s, %(offset)s") % {"zone": name, "offset": offset}


def event_time_text(event: Event, moment: dt.datetime, *, date: bool = True) -> str:
    """`moment` in the event's zone, with the zone: "8 Dec 2026 10:30 (Beijing time, UTC+8)".

    The date uses the reader's date format (the active language's), the time 24-hour."""
    local = moment.astimezone(event.tzinfo)
    shown = formats.time_format(local, "H:i")
    if date:
        shown = f"{formats.date_format(local, 'DATE_FORMAT')} {shown}"
    return f"{shown} ({zone_text(event, local)})"


def time_range_text(event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """ "8 Dec 2026 10:30–11:00 (Beijing time, UTC+8)": one meeting's time in the event's zone."""
    start, end = starts_at.astimezone(event.tzinfo), ends_at.astimezone(event.tzinfo)
    return (
        f"{formats.date_format(start, 'DATE_FORMAT')} {formats.time_format(start, 'H:i')}"
        f"–{formats.time_format(end, 'H:i')} ({zone_text(event, start)})"
    )
