"""A fast constructive schedule: most constrained requests first, into the slot that keeps
people's days compact. The warm start for exact search and the answer for very large events."""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Protocol

from superconnector.engine.scheduling.problem import Placement, Problem, Request, Schedule, Slot


class _State:
    """Who is busy when and which tables are taken, as the schedule is built."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.busy: dict[str, set[int]] = defaultdict(set)  # person -> slots taken (with overlaps)
        self.meetings: dict[str, set[int]] = defaultdict(set)  # person -> slots of their meetings
        self.tables: dict[int, set[str]] = defaultdict(set)  # labels taken, booths included
        self.regular: dict[int, int] = defaultdict(int)  # meetings at the session's own tables

    def free(self, person: str, slot: int) -> bool:
        return self.problem.can_attend(person, slot) and slot not in self.busy[person]

    def table_for(self, request: Request, slot: int, preferred: str | None = None) -> str | None:
        problem = self.problem
        if not problem.placeable(request):
            return None
        fixed = {problem.fixed_table[p] for p in request.people if p in problem.fixed_table}
        if not fixed and self.regular[slot] >= problem.slot_by_id[slot].tables:
            return None
        if fixed:
            table = fixed.pop()
            return None if table in self.tables[slot] else table
        labels = problem.table_labels(slot)
        if preferred in labels and preferred not in self.tables[slot]:
            return preferred  # announced there: sticky, unless the table is gone
        return next((t for t in labels if t not in self.tables[slot]), None)

    def place(self, request: Request, slot: int, table: str) -> None:
        for person in request.people:
            self.busy[person].update(self.problem.clashing[slot])
            self.meetings[person].add(slot)
        self.tables[slot].add(table)
        if table not in {self.problem.fixed_table.get(p) for p in request.people}:
            self.regular[slot] += 1


def greedy_schedule(problem: Problem) -> Schedule:
    """Locked meetings first, then the rest, hardest first; deterministic for a given input."""
    state = _State(problem)
    schedule = Schedule(solver="greedy")
    for request_id, placement in sorted(problem.locked.items()):
        request = problem.request_by_id[request_id]
        state.place(request, placement.slot, placement.table)
        schedule.placements[request_id] = placement
    neighbours = _adjacent_slots(problem)
    degree: dict[str, int] = defaultdict(int)
    for r in problem.requests:
        degree[r.a] += 1
        degree[r.b] += 1
    todo = [r for r in problem.requests if r.id not in problem.locked]
    # Highest priority first; among equals the request with the fewest possible slots, then
    # the one whose people are in most demand.
    todo.sort(
        key=lambda r: (
            -r.priority,
            len(problem.feasible_slots[r.id]),
            -(degree[r.a] + degree[r.b]),
            r.id,
        )
    )
    for request in todo:
        options = problem.feasible_slots[request.id]
        if not options:
            schedule.unscheduled[request.id] = "the two people share no free slot"
            continue
        previous = problem.previous.get(request.id)
        best, best_key = None, None
        for slot in options:
            if not (state.free(request.a, slot) and state.free(request.b, slot)):
                continue
            table = state.table_for(
                request, slot, previous.table if previous and previous.slot == slot else None
            )
            if table is None:
                continue
            adjacency = sum(
                1 for p in request.people for n in neighbours[slot] if n in state.meetings[p]
            )
            key = (
                previous is not None and previous.slot == slot,
                adjacency,
                -problem.slot_by_id[slot].start,
                -slot,
            )
            if best_key is None or key > best_key:
                best, best_key = (slot, table), key
        if best is None:
            schedule.unscheduled[request.id] = "no slot where both are free and a table is free"
            continue
        state.place(request, *best)
        schedule.placements[request.id] = Placement(*best)
    return schedule


def _adjacent_slots(problem: Problem) -> dict[int, list[int]]:
    """Slots right before and after each slot in the same session (for compact days)."""
    by_session: dict[str, list[Slot]] = defaultdict(list)
    for slot in problem.slots:
        by_session[slot.session].append(slot)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for slots in by_session.values():
        slots.sort(key=lambda s: s.start)
        for a, b in itertools.pairwise(slots):
            neighbours[a.id].append(b.id)
            neighbours[b.id].append(a.id)
    return neighbours


def repair_schedule(problem: Problem, schedule: Schedule, *, time_limit: float = 30.0) -> Schedule:
    """Place unscheduled requests by moving one meeting out of the way (augmenting moves).

    For an unplaced request (a, b) and a slot both could use, a meeting that holds a or b
    there is moved to another slot where its own two people and a table are free; then
    the request takes the freed slot. Locked meetings never move. Repeats until no move
    helps or time runs out; never loses a meeting.
    """

    deadline = time.perf_counter() + time_limit
    placements = dict(schedule.placements)
    # (person, slot) -> requests holding them there. A set, not one holder: with overlapping
    # sessions a slot can clash with two meetings of one person in slots that do not clash
    # with each other, and moving one of them must not free the person from the other.
    occupant: dict[tuple[str, int], set[str]] = defaultdict(set)
    regular: dict[int, int] = defaultdict(int)
    tables: dict[int, set[str]] = defaultdict(set)

    def booth_of(request: Request) -> str | None:
        return next(
            (problem.fixed_table[p] for p in request.people if p in problem.fixed_table), None
        )

    def add(request_id: str, slot: int, table: str) -> None:
        request = problem.request_by_id[request_id]
        for person in request.people:
            for s in problem.clashing[slot]:
                occupant[(person, s)].add(request_id)
        tables[slot].add(table)
        if table != booth_of(request):
            regular[slot] += 1
        placements[request_id] = Placement(slot, table)

    def remove(request_id: str) -> None:
        placement = placements.pop(request_id)
        request = problem.request_by_id[request_id]
        for person in request.people:
            for s in problem.clashing[placement.slot]:
                occupant[(person, s)].discard(request_id)
        tables[placement.slot].discard(placement.table)
        if placement.table != booth_of(request):
            regular[placement.slot] -= 1

    def free_table(request: Request, slot: int) -> str | None:
        booth = booth_of(request)
        if booth is not None:
            return None if booth in tables[slot] else booth
        if regular[slot] >= problem.slot_by_id[slot].tables:
            return None
        return next((t for t in problem.table_labels(slot) if t not in tables[slot]), None)

    def person_free(person: str, slot: int, ignore: str | None = None) -> bool:
        holders = occupant[(person, slot)]
        return problem.can_attend(person, slot) and holders <= {ignore}

    for request_id, placement in list(placements.items()):
        placements.pop(request_id)
        add(request_id, placement.slot, placement.table)
    pending = sorted(schedule.unscheduled, key=lambda r: (-problem.request_by_id[r].priority, r))
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for request_id in list(pending):
            if time.perf_counter() >= deadline:
                break
            if _try_place(
                problem, request_id, placements, occupant, add, remove, free_table, person_free
            ):
                pending.remove(request_id)
                improved = True
    return Schedule(
        placements=placements,
        unscheduled={r: schedule.unscheduled[r] for r in pending},
        solver=f"{schedule.solver}+repair",
        optimal=schedule.optimal,
    )


class _PersonFree(Protocol):
    def __call__(self, person: str, slot: int, ignore: str | None = None) -> bool: ...


def _try_place(
    problem: Problem,
    request_id: str,
    placements: dict[str, Placement],
    occupant: dict[tuple[str, int], set[str]],
    add: Callable[[str, int, str], None],
    remove: Callable[[str], None],
    free_table: Callable[[Request, int], str | None],
    person_free: _PersonFree,
) -> bool:
    request = problem.request_by_id[request_id]
    if not problem.placeable(request):
        return False
    for slot in problem.feasible_slots[request_id]:
        blockers = set().union(*(occupant[(p, slot)] for p in request.people))
        if len(blockers) > 1 or any(b in problem.locked for b in blockers):
            continue
        if not blockers:
            table = free_table(request, slot)
            if table is not None:
                add(request_id, slot, table)
                return True
            continue
        (blocker,) = blockers
        moved = problem.request_by_id[blocker]
        old = placements[blocker]
        remove(blocker)
        table = free_table(request, slot)
        if table is not None:
            for other in problem.feasible_slots[blocker]:
                if other == slot or any(not person_free(p, other) for p in moved.people):
                    continue
                # The request and the moved meeting may share a person: check after placing.
                add(request_id, slot, table)
                other_table = free_table(moved, other)
                if other_table is not None and all(
                    person_free(p, other, blocker) for p in moved.people
                ):
                    add(blocker, other, other_table)
                    return True
                remove(request_id)
        add(blocker, old.slot, old.table)
    return False
