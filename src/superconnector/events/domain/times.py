"""Times as mails write them: in the event's time zone, and saying which one.

A delegate flying in from Dubai or London reads a mail before they land, so "10:30" alone
is ambiguous; every time in a mail carries its zone: "10:30 (Beijing time, UTC+8)".
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


def zone_text(event: Event, moment: dt.datetime) -> str:
    """ "Beijing time, UTC+8": the zone's name and its offset at `moment`."""
    local = moment.astimezone(event.tzinfo)
    known = _ZONE_NAMES.get(event.timezone)
    if known is not None:
        name = str(known)
    else:
        city = event.timezone.rsplit("/", 1)[-1].replace("_", " ")
        name = _("%(city)s time") % {"city": city}
    offset = utc_offset_text(local)
    return name if name == offset else f"{name}, {offset}"


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
