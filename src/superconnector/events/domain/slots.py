"""Slot arithmetic for meeting sessions.

The exchange format defines slot i as starting at start + i * (slot + gap) minutes and
ending slot minutes later, no later than the session's end.
"""

import datetime as dt
import zoneinfo

from django.db import transaction

from superconnector.events.models import MeetingSession, Slot


class SlotsInUse(Exception):
    """A session edit would remove slots that have meetings in them."""


def compute_slot_times(
    start: dt.time, end: dt.time, slot_minutes: int, gap_minutes: int = 0
) -> list[tuple[dt.time, dt.time]]:
    """Wall-clock (start, end) of every slot that fits in [start, end]."""
    if slot_minutes <= 0 or gap_minutes < 0:
        return []
    begin = start.hour * 60 + start.minute
    finish = end.hour * 60 + end.minute
    times = []
    cursor = begin
    while cursor + slot_minutes <= finish:
        times.append((_minutes_to_time(cursor), _minutes_to_time(cursor + slot_minutes)))
        cursor += slot_minutes + gap_minutes
    return times


def _minutes_to_time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def localise(date: dt.date, time: dt.time, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=tz)


@transaction.atomic
def sync_slots(session: MeetingSession) -> None:
    """Make the session's Slot rows match its times: update in place, add or drop the tail.

    Refuses to drop a slot that still holds meetings: callers move or remove them first,
    so that a session edit never loses a scheduled meeting silently.
    """
    tz = session.event.tzinfo
    wanted = compute_slot_times(
        session.start, session.end, session.slot_minutes, session.gap_minutes
    )
    existing = {slot.index: slot for slot in session.slots.all()}
    for index, (start, end) in enumerate(wanted):
        starts_at, ends_at = localise(session.date, start, tz), localise(session.date, end, tz)
        slot = existing.pop(index, None)
        if slot is None:
            Slot.objects.create(session=session, index=index, starts_at=starts_at, ends_at=ends_at)
        elif (slot.starts_at, slot.ends_at) != (starts_at, ends_at):
            slot.starts_at, slot.ends_at = starts_at, ends_at
            slot.save(update_fields=["starts_at", "ends_at"])
    if existing:
        dropped = Slot.objects.filter(pk__in=[slot.pk for slot in existing.values()])
        if dropped.filter(meetings__isnull=False).exists():
            raise SlotsInUse(
                f"session {session.key}: slots that would disappear still hold meetings"
            )
        dropped.delete()
