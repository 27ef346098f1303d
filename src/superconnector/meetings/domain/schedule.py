"""Scheduling an event: database rows to a scheduling problem, and the schedule back.

Slots are identified by their database ids and timed in minutes since the epoch, so
overlapping sessions are handled exactly. Locked meetings keep their slot and table;
every existing meeting is passed as the announced placement, which re-planning keeps
where it can.

Planning looks forward only: slots that have begun (start at or before `now`) take no new
meeting, and the meetings already in them stay as they are, like locked ones (they are
being held, or were). The run says how many slots it left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from superconnector.core.domain.ordering import natural_key
from superconnector.directory.domain.visibility import schedulable_requests_q
from superconnector.engine.scheduling import Placement, Problem, Request, Schedule, Slot, idle_gaps
from superconnector.engine.scheduling.bounds import UpperBound
from superconnector.engine.scheduling.solution import Change, changes_by_person
from superconnector.engine.scheduling.solve import solve
from superconnector.events.models import Event
from superconnector.events.models import Slot as SlotRow
from superconnector.meetings.domain.bookings import (
    PlaceTaken,
    check_overlaps_at_once,
    database_refuses_overlaps,
    is_overlap_refusal,
    refuse_double_bookings,
)
from superconnector.meetings.models import (
    Availability,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    RequestStatus,
)


@dataclass
class ScheduleRun:
    problem: Problem
    schedule: Schedule
    bound: UpperBound
    seconds: float
    changes: dict[str, list[Change]] = field(default_factory=dict)
    # Slots left out because they had begun when the run started.
    begun_slots: int = 0


def _minutes(moment) -> int:
    return int(moment.timestamp() // 60)


def planning_now() -> dt.datetime:
    """The moment planning starts from: slots that began by then take no new meeting.
    (A function of its own so that the test suite can pin it before its fixed-date events.)"""
    return timezone.now()


def begun_slot_ids(slot_rows, now: dt.datetime) -> frozenset[int]:
    """The slots that have begun by `now`: no new meeting goes there."""
    return frozenset(row.pk for row in slot_rows if row.starts_at <= now)


def build_problem(
    event: Event, absent: frozenset[str] = frozenset(), *, now: dt.datetime | None = None
) -> Problem:
    """`absent`: participant keys marked as no-shows; their meetings are dropped and their
    counterparts' slots freed for others. `now` (default: planning_now()): slots that have
    begun by then are closed to new meetings; the meetings already in them stay."""
    slot_rows = list(SlotRow.objects.filter(session__event=event).select_related("session"))
    slots = [
        Slot(
            row.pk,
            _minutes(row.starts_at),
            _minutes(row.ends_at),
            row.session.tables,
            row.session.key,
        )
        for row in slot_rows
    ]
    begun = begun_slot_ids(slot_rows, now or planning_now())
    # A meeting that has begun or taken place is history: it stays whoever is listed now
    # (storing the schedule would otherwise delete it, and the outcomes reported on it).
    held = Q(status=RequestStatus.ACCEPTED, meeting__slot_id__in=begun)
    # Otherwise only meetings of two listed people are planned (directory/domain/
    # visibility.py): the meetings of someone unlisted are not in the problem, so storing
    # the schedule drops them.
    accepted = (
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
        .filter(schedulable_requests_q() | held)
        .select_related("sender", "recipient")
    )
    requests = [Request(r.key, r.sender.key, r.recipient.key, r.priority) for r in accepted]
    availability = {}
    for row in (
        Availability.objects.filter(participant__event=event)
        .select_related("participant")
        .prefetch_related("sessions", "blocks")
    ):
        allowed_sessions = None if row.all_sessions else {s.pk for s in row.sessions.all()}
        blocks = [(_minutes(b.starts_at), _minutes(b.ends_at)) for b in row.blocks.all()]
        availability[row.participant.key] = frozenset(
            slot.pk
            for slot in slot_rows
            if (allowed_sessions is None or slot.session_id in allowed_sessions)
            and not any(
                _minutes(slot.starts_at) < end and start < _minutes(slot.ends_at)
                for start, end in blocks
            )
        )
    meetings = (
        Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
        .filter(schedulable_requests_q("request__") | Q(slot_id__in=begun))
        .select_related("request")
    )
    people = {r.id: set(r.people) for r in requests}
    locked, previous = {}, {}
    for meeting in meetings:
        placement = Placement(meeting.slot_id, meeting.table)
        previous[meeting.request.key] = placement
        if meeting.slot_id in begun:
            # Begun or over: it stays as it is (with its outcomes), a no-show's too.
            locked[meeting.request.key] = placement
        # A no-show's meetings to come are off, locked or not: their counterpart's slot is
        # free again.
        elif meeting.locked and not absent & people[meeting.request.key]:
            locked[meeting.request.key] = placement
    for key in absent:
        availability[key] = frozenset()
    return Problem(
        slots,
        requests,
        availability=availability,
        locked=locked,
        previous=previous,
        closed=begun,
    )


def schedule_event(
    event: Event,
    *,
    time_limit: float = 60.0,
    store: bool = True,
    absent: frozenset[str] = frozenset(),
    now: dt.datetime | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> ScheduleRun:
    """Compute the event's schedule; with `store`, replace its unlocked meetings by it.
    `on_stage` hears "solving" and "storing" as each begins (a background run's progress).

    Re-planning is the same call: announced meetings are kept where they are unless moving
    them places more meetings; `changes` lists, per person, what was added, moved, removed.
    On the day it plans forward only (see build_problem).
    """
    announce = on_stage or (lambda stage: None)
    problem = build_problem(event, absent, now=now)
    announce("solving")
    # Before the first publication nobody has been told anything: plan afresh. After it,
    # the stored meetings are what people were told, and re-planning values keeping them
    # (engine/scheduling/replan.py).
    schedule, bound, seconds = solve(
        problem, time_limit=time_limit, keep_announced=event.schedule_published_at is not None
    )
    if store:
        announce("storing")
        store_schedule(event, problem, schedule)
    return ScheduleRun(
        problem,
        schedule,
        bound,
        seconds,
        changes_by_person(problem, problem.previous, schedule),
        begun_slots=len(problem.closed),
    )


@transaction.atomic
def store_schedule(event: Event, problem: Problem, schedule: Schedule) -> None:
    """All or nothing: the previous schedule stays intact unless the new one is written whole.

    A schedule that would give someone two meetings at once (in overlapping sessions, or
    beside a meeting booked meanwhile) is refused with PlaceTaken and nothing is written.
    """
    check_overlaps_at_once()
    requests = {
        r.key: r
        for r in MeetingRequest.objects.filter(event=event, key__in=list(schedule.placements))
    }
    before = {
        key: (slot, table)
        for key, slot, table in Meeting.objects.filter(event=event).values_list(
            "request__key", "slot_id", "table"
        )
    }
    moved = [
        key
        for key, placement in schedule.placements.items()
        if before.get(key) != (placement.slot, placement.table)
    ]
    # Calendars replace an entry only when its SEQUENCE rises: raise it for every move.
    MeetingRequest.objects.filter(event=event, key__in=moved).update(
        meeting_sequence=F("meeting_sequence") + 1
    )
    # Meetings that moved are rewritten, and any meeting the schedule no longer holds goes
    # (a no-show's locked meeting included). A meeting left where it was (every locked one
    # among them) stays the same row, so that what hangs on it (outcomes reported after
    # it was held) stays too.
    moving = set(moved)
    unchanged = [key for key in schedule.placements if key not in moving]
    Meeting.objects.filter(event=event).exclude(request__key__in=unchanged).delete()
    kept = set(Meeting.objects.filter(event=event).values_list("request__key", flat=True))
    created = []
    for key, placement in schedule.placements.items():
        if key in kept:
            continue
        created.append(
            Meeting(
                event=event, request=requests[key], slot_id=placement.slot, table=placement.table
            )
        )
    try:
        Meeting.objects.bulk_create(created, batch_size=1000)
        MeetingSeat.objects.bulk_create(
            (
                MeetingSeat(meeting=meeting, participant_id=pid, slot_id=meeting.slot_id)
                for meeting in created
                for pid in (meeting.request.sender_id, meeting.request.recipient_id)
            ),
            batch_size=1000,
        )
    except IntegrityError as exc:
        raise PlaceTaken(
            "person_busy" if is_overlap_refusal(exc) else "conflict",
            _("The schedule double-books a person or a table and was not stored: %(error)s")
            % {"error": exc},
        ) from exc
    if not database_refuses_overlaps():
        # PostgreSQL refused any overlap at the INSERT above; elsewhere look now, inside
        # the transaction, before it commits.
        refuse_double_bookings(event)


def schedule_document(event: Event, run: ScheduleRun) -> dict:
    """The exchange format's `schedule --json` shape."""
    tz = event.tzinfo
    slots = {row.pk: row for row in SlotRow.objects.filter(session__event=event)}
    meetings = []
    for key, placement in sorted(
        run.schedule.placements.items(),
        key=lambda item: (slots[item[1].slot].starts_at, natural_key(item[1].table), item[0]),
    ):
        request = run.problem.request_by_id[key]
        slot = slots[placement.slot]
        meetings.append(
            {
                "request": key,
                "participants": [request.a, request.b],
                "date": slot.starts_at.astimezone(tz).date().isoformat(),
                "start": slot.starts_at.astimezone(tz).strftime("%H:%M"),
                "end": slot.ends_at.astimezone(tz).strftime("%H:%M"),
                "table": placement.table,
            }
        )
    document = {
        "meetings": meetings,
        "unscheduled": [
            {"request": key, "reason": reason}
            for key, reason in sorted(run.schedule.unscheduled.items())
        ],
        "stats": {
            "requested": len(run.problem.requests),
            "scheduled": len(run.schedule.placements),
            "upper_bound": run.bound.value,
            "idle_gaps": idle_gaps(run.problem, run.schedule),
            "solver": run.schedule.solver,
            "optimal": run.schedule.optimal,
            "seconds": round(run.seconds, 2),
        },
    }
    if run.begun_slots:
        # Outside "stats", whose keys the exchange format fixes.
        document["warnings"] = [begun_slots_message(run.begun_slots)]
    return document


def begun_slots_message(count: int) -> str:
    """What a run that planned forward only says about it."""
    return ngettext(
        "%(count)s slot that has begun was left out: no new meeting was placed in it, and "
        "the meetings already in it stayed as they were.",
        "%(count)s slots that have begun were left out: no new meeting was placed in them, "
        "and the meetings already in them stayed as they were.",
        count,
    ) % {"count": count}


def _slot_time(event: Event, slot: SlotRow | None, *, with_date: bool) -> str:
    if slot is None:
        return "?"  # a slot deleted since: the change is still listed
    local = slot.starts_at.astimezone(event.tzinfo)
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def describe_placement_change(
    event: Event,
    kind: str,
    before: Placement | None,
    after: Placement | None,
    slots: dict[int, SlotRow],
) -> str:
    """What exactly happened to one meeting, for the organiser: "from 10:20 T4 to 10:20
    T7: same time, another table". Times are in the event's zone, with the date when the
    event's slots span more than one day."""
    days = {row.starts_at.astimezone(event.tzinfo).date() for row in slots.values()}
    with_date = len(days) > 1

    def place(p: Placement) -> str:
        return f"{_slot_time(event, slots.get(p.slot), with_date=with_date)} {p.table}"

    if before is None and after is not None:
        return _("at %(place)s: new meeting") % {"place": place(after)}
    if after is None and before is not None:
        return _("was at %(place)s: removed") % {"place": place(before)}
    if before is None or after is None:
        return ""
    if kind == "table":
        what = _("same time, another table")
    elif before.table == after.table:
        what = _("another time, same table")
    else:
        what = _("another time and table")
    return _("from %(before)s to %(after)s: %(what)s") % {
        "before": place(before),
        "after": place(after),
        "what": what,
    }


def change_lines(event: Event, changes: dict[str, list[Change]]) -> list[str]:
    """The `--changes` listing: one line per person and change, naming slot and table."""
    slots = {row.pk: row for row in SlotRow.objects.filter(session__event=event)}
    return [
        f"  {person}: {change.kind} {change.request} with {change.counterpart}: "
        + describe_placement_change(event, change.kind, change.before, change.after, slots)
        for person, items in sorted(changes.items())
        for change in items
    ]
