"""A fast constructive schedule: most constrained requests first, into the slot that keeps
people's days compact. The warm start for exact search and the answer for very large events."""

from __future__ import annotations

import itertools
from collections import defaultdict

from superconnector.engine.scheduling.problem import Placement, Problem, Schedule


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

    def table_for(self, request, slot: int, preferred: str | None = None) -> str | None:
        problem = self.problem
        fixed = {problem.fixed_table[p] for p in request.people if p in problem.fixed_table}
        if len(fixed) > 1:
            return None  # two hosts at two booths cannot meet at either
        if not fixed and self.regular[slot] >= problem.slot_by_id[slot].tables:
            return None
        if fixed:
            table = fixed.pop()
            return None if table in self.tables[slot] else table
        if preferred and preferred not in self.tables[slot]:
            return preferred
        return next((t for t in problem.table_labels(slot) if t not in self.tables[slot]), None)

    def place(self, request, slot: int, table: str) -> None:
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
    by_session: dict[str, list] = defaultdict(list)
    for slot in problem.slots:
        by_session[slot.session].append(slot)
    neighbours: dict[int, list[int]] = defaultdict(list)
    for slots in by_session.values():
        slots.sort(key=lambda s: s.start)
        for a, b in itertools.pairwise(slots):
            neighbours[a.id].append(b.id)
            neighbours[b.id].append(a.id)
    return neighbours
