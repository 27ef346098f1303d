"""Exact and improving search with OR-Tools CP-SAT, warm-started from a heuristic schedule.

Model: a boolean per (request, slot both people can attend); each request at most once;
each person in at most one meeting at any moment (checked at every slot start, which is
exact for time intervals even when sessions overlap); each slot's meetings within its
tables (hosts' booths apart). Objective: the number of meetings first, priority only to
choose among equally many (the weights make one more meeting worth more than any priority
mix), a little for keeping announced slots when re-planning.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from superconnector.engine.scheduling.greedy import _adjacent_slots
from superconnector.engine.scheduling.problem import Placement, Problem, Schedule, Slot

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    Variables = dict[tuple[str, int], cp_model.IntVar]  # (request id, slot id) -> boolean


def solve_cpsat(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    warm_start: Schedule | None = None,
    seed: int = 0,
) -> Schedule:
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    started = time.perf_counter()
    model = cp_model.CpModel()
    free_requests = [r for r in problem.requests if r.id not in problem.locked]
    blocked = _blocked_points(problem)
    variables: Variables = {}
    for request in free_requests:
        if not problem.placeable(request):
            continue
        for slot_id in problem.feasible_slots[request.id]:
            slot = problem.slot_by_id[slot_id]
            if any(_covers(slot, point) for p in request.people for point in blocked[p]):
                continue  # a locked meeting already holds this person then
            variables[(request.id, slot_id)] = model.new_bool_var(f"x[{request.id},{slot_id}]")
    by_request: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (request_id, _slot), var in variables.items():
        by_request[request_id].append(var)
    for vars_ in by_request.values():
        model.add_at_most_one(vars_)
    add_no_double_booking(model, problem, variables)
    add_table_limits(model, problem, variables)
    # One more meeting must outweigh any mix of priorities and kept slots: each request adds
    # at most 2 * 3 + 1 below, so a meeting is worth more than all of those together.
    meeting = 8 * len(free_requests) + 8
    terms: list[cp_model.LinearExprT] = []
    for (request_id, slot_id), var in variables.items():
        request = problem.request_by_id[request_id]
        previous = problem.previous.get(request_id)
        kept = 1 if previous is not None and previous.slot == slot_id else 0
        terms.append((meeting + 2 * request.priority + kept) * var)
    model.maximize(sum(terms))
    status, found = solve_hinted(
        model, variables, warm_start, time_limit - (time.perf_counter() - started), seed
    )
    schedule = Schedule(solver="cp-sat", optimal=status == cp_model.OPTIMAL)
    if found is None and warm_start is not None:
        return warm_start  # nothing better found in time: keep the heuristic's schedule
    schedule.placements = assign_tables(problem, found or {})
    for request in problem.requests:
        if request.id not in schedule.placements:
            schedule.unscheduled[request.id] = (
                "the two people share no free slot"
                if not problem.feasible_slots[request.id]
                else "no room in the schedule for it"
            )
    return schedule


def solve_hinted(
    model: cp_model.CpModel,
    variables: Variables,
    hint: Schedule | None,
    time_limit: float,
    seed: int,
) -> tuple[Any, dict[str, int] | None]:
    """Solve `model` from `hint`'s slots: (status, the slot chosen for each request placed,
    or None when no solution was found in time)."""
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    if hint is not None:
        for request_id, placement in hint.placements.items():
            hinted = variables.get((request_id, placement.slot))
            if hinted is not None:
                model.add_hint(hinted, 1)
    solver = new_solver(max(time_limit, 0.5), seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None
    return status, {rid: sid for (rid, sid), var in variables.items() if solver.value(var)}


def new_solver(time_limit: float, *, seed: int = 0) -> cp_model.CpSolver:
    """A CP-SAT solver that returns the same schedule for the same input and seed.

    Parallel workers share solutions by wall-clock timing, so two runs can differ; one
    worker stopped by a deterministic time limit stops at the same point every time. On
    this 2-core machine a deterministic unit took about two seconds, so that limit is set
    to 0.4 of the time limit, and the wall-clock limit only guards against slower machines.
    """
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = 0.4 * max(time_limit, 0.1)
    solver.parameters.max_time_in_seconds = max(time_limit, 0.1)
    return solver


def add_no_double_booking(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Each person in at most one meeting at every moment a slot starts: exact for time
    intervals, even when sessions overlap."""
    points = sorted({s.start for s in problem.slots})
    by_person_point: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    for (request_id, slot_id), var in variables.items():
        slot = problem.slot_by_id[slot_id]
        for point in points:
            if _covers(slot, point):
                for person in problem.request_by_id[request_id].people:
                    by_person_point[(person, point)].append(var)
    for vars_ in by_person_point.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)


def add_table_limits(model: cp_model.CpModel, problem: Problem, variables: Variables) -> None:
    """Each slot's meetings within its tables, less those locked meetings use (booths apart)."""
    locked_regular: dict[int, int] = defaultdict(int)
    for request_id, placement in problem.locked.items():
        if not _at_booth(problem, request_id, placement.table):
            locked_regular[placement.slot] += 1
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (request_id, slot_id), var in variables.items():
        if not any(p in problem.fixed_table for p in problem.request_by_id[request_id].people):
            by_slot[slot_id].append(var)
    for slot_id, vars_ in by_slot.items():
        capacity = problem.slot_by_id[slot_id].tables - locked_regular[slot_id]
        if len(vars_) > capacity:
            model.add(sum(vars_) <= max(capacity, 0))


def add_block_starts(
    model: cp_model.CpModel, busy: Sequence[cp_model.LinearExpr | int]
) -> list[cp_model.IntVar]:
    """Booleans that are 1 exactly where a busy run starts (busy now and not before).

    Exact, not merely bounded below: a looser count could be inflated by the solver, for
    instance to meet a fairness bound.
    """
    starts: list[cp_model.IntVar] = []
    for index, here in enumerate(busy):
        start = model.new_bool_var("")
        before = busy[index - 1] if index else 0
        model.add(start >= here - before)
        model.add(start <= here)
        model.add(start <= 1 - before)
        starts.append(start)
    return starts


def _covers(slot: Slot, point: int) -> bool:
    return slot.start <= point < slot.end


def _blocked_points(problem: Problem) -> dict[str, set[int]]:
    """Moments at which each person is already held by a locked meeting."""
    points = sorted({s.start for s in problem.slots})
    blocked: dict[str, set[int]] = defaultdict(set)
    for request_id, placement in problem.locked.items():
        slot = problem.slot_by_id[placement.slot]
        for person in problem.request_by_id[request_id].people:
            blocked[person].update(p for p in points if _covers(slot, p))
    return blocked


def _at_booth(problem: Problem, request_id: str, table: str) -> bool:
    return table in {problem.fixed_table.get(p) for p in problem.request_by_id[request_id].people}


def assign_tables(problem: Problem, chosen: dict[str, int]) -> dict[str, Placement]:
    """Table labels for chosen slots, sticky: locks keep theirs, booths are the host's, and
    a meeting that keeps its announced slot keeps its announced table (first, so that no
    other meeting takes it). The rest, slot by slot, take a table one of their two people
    sits at in the slot before or after (one walk less), else the lowest free label."""
    placements = dict(problem.locked)
    taken: dict[int, set[str]] = defaultdict(set)
    seat: dict[tuple[str, int], str] = {}  # (person, slot) -> table
    for request_id, placement in problem.locked.items():
        _sit(problem, request_id, placement, taken, seat)
    rest: list[tuple[str, int]] = []
    for request_id, slot_id in sorted(chosen.items()):
        previous = problem.previous.get(request_id)
        table = _booth_of(problem, request_id)
        if table is None and previous is not None and previous.slot == slot_id:
            labels = problem.table_labels(slot_id)
            if previous.table in labels and previous.table not in taken[slot_id]:
                table = previous.table
        if table is None:
            rest.append((request_id, slot_id))
            continue
        placements[request_id] = Placement(slot_id, table)
        _sit(problem, request_id, placements[request_id], taken, seat)
    neighbours = _adjacent_slots(problem)
    rest.sort(key=lambda item: (problem.slot_by_id[item[1]].start, item[1], item[0]))
    for request_id, slot_id in rest:
        labels = problem.table_labels(slot_id)
        near = [
            seat[(person, other)]
            for person in problem.request_by_id[request_id].people
            for other in neighbours[slot_id]
            if (person, other) in seat
        ]
        table = next((t for t in [*near, *labels] if t in labels and t not in taken[slot_id]), None)
        if table is None:  # more meetings than labels: cannot happen for a valid choice
            table = f"T{len(labels) + len(taken[slot_id]) + 1}"
        placements[request_id] = Placement(slot_id, table)
        _sit(problem, request_id, placements[request_id], taken, seat)
    return placements


def _booth_of(problem: Problem, request_id: str) -> str | None:
    people = problem.request_by_id[request_id].people
    return next((problem.fixed_table[p] for p in people if p in problem.fixed_table), None)


def _sit(
    problem: Problem,
    request_id: str,
    placement: Placement,
    taken: dict[int, set[str]],
    seat: dict[tuple[str, int], str],
) -> None:
    taken[placement.slot].add(placement.table)
    for person in problem.request_by_id[request_id].people:
        seat[(person, placement.slot)] = placement.table


def minimise_gaps(
    problem: Problem,
    schedule: Schedule,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
) -> Schedule:
    """Re-slot the same meetings for fewest idle gaps (breaks), keeping every one of them.

    A person's breaks in a session are their busy blocks minus one; a block starts where
    they are busy and were not in the slot before. Locked meetings stay where they are.
    """
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    model = cp_model.CpModel()
    movable = [rid for rid in schedule.placements if rid not in problem.locked]
    blocked = _blocked_points(problem)
    x: Variables = {}
    for request_id in movable:
        request = problem.request_by_id[request_id]
        options = [
            s
            for s in problem.feasible_slots[request_id]
            if not any(
                _covers(problem.slot_by_id[s], pt) for p in request.people for pt in blocked[p]
            )
        ]
        for slot_id in options:
            x[(request_id, slot_id)] = model.new_bool_var("")
        model.add_exactly_one([x[(request_id, s)] for s in options])
    add_no_double_booking(model, problem, x)
    add_table_limits(model, problem, x)
    busy_terms: dict[tuple[str, int], list[cp_model.IntVar | int]] = defaultdict(list)
    for (request_id, slot_id), var in x.items():
        for person in problem.request_by_id[request_id].people:
            busy_terms[(person, slot_id)].append(var)
    for request_id, placement in problem.locked.items():
        for person in problem.request_by_id[request_id].people:
            busy_terms[(person, placement.slot)].append(1)
    # Breaks per person and session.
    sessions: dict[str, list[Slot]] = defaultdict(list)
    for slot in problem.slots:
        sessions[slot.session].append(slot)
    people = {p for rid in schedule.placements for p in problem.request_by_id[rid].people}
    breaks: list[cp_model.IntVar] = []
    for session_slots in sessions.values():
        session_slots.sort(key=lambda s: s.start)
        for person in people:
            busy = [sum(busy_terms.get((person, s.id), [])) for s in session_slots]
            if not any(busy_terms.get((person, s.id)) for s in session_slots):
                continue
            starts = add_block_starts(model, busy)
            any_meeting = model.new_bool_var("")
            for here in busy:
                model.add(any_meeting >= here)
            count = model.new_int_var(0, len(session_slots), "")
            model.add(count == sum(starts) - any_meeting)
            breaks.append(count)
    model.minimize(sum(breaks))
    _status, chosen = solve_hinted(model, x, schedule, time_limit, seed)
    if chosen is None:
        return schedule
    result = Schedule(
        placements=assign_tables(problem, chosen),
        unscheduled=dict(schedule.unscheduled),
        solver=f"{schedule.solver}+gaps",
        optimal=schedule.optimal,
    )
    return result
