"""Checking a schedule against every hard constraint, and measuring its quality."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from superconnector.engine.scheduling.problem import Placement, Problem, Schedule


def check_schedule(problem: Problem, schedule: Schedule) -> list[str]:
    """Every hard-constraint violation in `schedule`, as readable sentences (empty if none)."""
    problems: list[str] = []
    busy: dict[str, list[tuple[int, str]]] = defaultdict(list)
    tables: dict[tuple[int, str], str] = {}
    per_slot: dict[int, int] = defaultdict(int)
    for request_id, placement in schedule.placements.items():
        request = problem.request_by_id.get(request_id)
        slot = problem.slot_by_id.get(placement.slot)
        if request is None or slot is None:
            problems.append(f"{request_id}: unknown request or slot {placement.slot}")
            continue
        for person in request.people:
            if not problem.can_attend(person, slot.id):
                problems.append(f"{request_id}: {person} is not available in slot {slot.id}")
            for other_slot, other_request in busy[person]:
                if problem.slot_by_id[other_slot].overlaps(slot):
                    problems.append(
                        f"{request_id}: {person} is also in {other_request} at slot {other_slot}"
                    )
            busy[person].append((slot.id, request_id))
            fixed = problem.fixed_table.get(person)
            if fixed is not None and placement.table != fixed:
                problems.append(
                    f"{request_id}: {person} hosts at table {fixed}, not {placement.table}"
                )
        if (slot.id, placement.table) in tables:
            problems.append(
                f"{request_id}: table {placement.table} in slot {slot.id} is also used by "
                f"{tables[(slot.id, placement.table)]}"
            )
        tables[(slot.id, placement.table)] = request_id
        booth = placement.table in {problem.fixed_table.get(p) for p in request.people}
        per_slot[slot.id] += 0 if booth else 1  # a host's booth is a table of its own
        if per_slot[slot.id] == slot.tables + 1:
            problems.append(f"slot {slot.id} has more meetings than its {slot.tables} tables")
    for request_id, placement in problem.locked.items():
        if schedule.placements.get(request_id) != placement:
            problems.append(
                f"{request_id}: locked at {placement} but placed at {schedule.placements.get(request_id)}"
            )
    return problems


def idle_gaps(problem: Problem, schedule: Schedule) -> int:
    """Breaks: for each person, maximal runs of free slots between two of their meetings,
    counted within a session (the time between sessions is not idle time)."""
    order = {
        s.id: n for n, s in enumerate(sorted(problem.slots, key=lambda s: (s.session, s.start)))
    }
    by_person: dict[tuple[str, str], list[int]] = defaultdict(list)
    for request_id, placement in schedule.placements.items():
        slot = problem.slot_by_id[placement.slot]
        for person in problem.request_by_id[request_id].people:
            by_person[(person, slot.session)].append(order[slot.id])
    gaps = 0
    for positions in by_person.values():
        positions.sort()
        gaps += sum(1 for x, y in itertools.pairwise(positions) if y - x > 1)
    return gaps


# What a re-planned meeting did, as named to the two people and the organiser. A slot move
# ("moved") may take the meeting to another table too; "table" keeps the slot and changes
# only the table, which is a walk across the room, not a new time in anyone's diary.
CHANGE_KINDS = ("added", "removed", "moved", "table")


@dataclass(frozen=True)
class Change:
    """One line of a person's "what changed" list after re-planning."""

    kind: str  # one of CHANGE_KINDS
    request: str
    counterpart: str
    before: Placement | None
    after: Placement | None

    @property
    def slot_changed(self) -> bool:
        return self.kind == "moved"

    @property
    def table_changed(self) -> bool:
        """Whether the table differs (a slot move may keep the table number)."""
        return (
            self.before is not None
            and self.after is not None
            and self.before.table != self.after.table
        )


def change_kind(before: Placement | None, after: Placement | None) -> str:
    """ "added", "removed", "moved" (another slot, whatever the table) or "table" (the same
    slot, another table); the caller leaves out placements that did not change."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    return "table" if before.slot == after.slot else "moved"


def changes_by_person(
    problem: Problem, previous: dict[str, Placement], schedule: Schedule
) -> dict[str, list[Change]]:
    """For each person, the meetings added, moved to another slot, moved to another table
    only, and removed, by request."""
    changes: dict[str, list[Change]] = defaultdict(list)
    for request_id in sorted(set(previous) | set(schedule.placements)):
        before, after = previous.get(request_id), schedule.placements.get(request_id)
        if before == after:
            continue
        request = problem.request_by_id.get(request_id)
        if request is None:
            continue  # a request no longer accepted: its people were told when it changed
        kind = change_kind(before, after)
        for person, other in ((request.a, request.b), (request.b, request.a)):
            changes[person].append(Change(kind, request_id, other, before, after))
    return dict(changes)


def count_changes(previous: dict[str, Placement], schedule: Schedule) -> dict[str, int]:
    """Meeting by meeting (not per person): how many were added, removed, moved to another
    slot, moved to another table only, and the net gain."""
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    for request_id in set(previous) | set(schedule.placements):
        before, after = previous.get(request_id), schedule.placements.get(request_id)
        if before != after:
            counts[change_kind(before, after)] += 1
    counts["gained"] = len(schedule.placements) - len(previous)
    return counts
