"""Proven upper bounds on how many requests any schedule can hold.

Reported next to every schedule so the organiser knows how far from perfect it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from superconnector.engine.scheduling.cpsat import new_solver
from superconnector.engine.scheduling.problem import Problem, Request

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


@dataclass(frozen=True)
class UpperBound:
    value: int  # the tightest of the bounds below
    requests: int  # schedulable requests (both people share at least one free slot)
    tables: int  # meeting places: the slots' tables, plus hosts' booths
    b_matching: int  # fractional b-matching over people's free slots
    integer: int | None = None  # integer b-matching (and places), when it was solved


def upper_bound(problem: Problem) -> UpperBound:
    schedulable = [r for r in problem.requests if problem.feasible_slots[r.id]]
    # Meeting places: the sessions' tables, plus each host's booth (one meeting at a time).
    tables = sum(slot.tables for slot in problem.slots)
    for host in problem.fixed_table:
        hosted = sum(1 for r in schedulable if host in r.people)
        tables += min(person_capacity(problem, host), hosted)
    matching = fractional_b_matching(problem, schedulable)
    return UpperBound(min(len(schedulable), tables, matching), len(schedulable), tables, matching)


def person_capacity(problem: Problem, person: str) -> int:
    """Most meetings a person can attend: pairwise non-overlapping slots they are free in
    (earliest-end-first picks a largest such set)."""
    count, last_end = 0, None
    for slot in sorted(problem.slots, key=lambda s: (s.end, s.start)):
        if problem.can_attend(person, slot.id) and (last_end is None or slot.start >= last_end):
            count += 1
            last_end = slot.end
    return count


def fractional_b_matching(problem: Problem, requests: Sequence[Request]) -> int:
    """max sum x_r subject to each person's meetings <= capacity, 0 <= x_r <= 1.

    Solved exactly as half the maximum flow of the bipartite double cover (each person on
    both sides, each request an arc each way); the floor is a valid integer bound.
    """
    from ortools.graph.python import max_flow  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    degree: dict[str, int] = defaultdict(int)
    for r in requests:
        degree[r.a] += 1
        degree[r.b] += 1
    people = sorted(degree)
    if not people:
        return 0
    index = {p: n for n, p in enumerate(people)}
    n = len(people)
    source, sink = 2 * n, 2 * n + 1
    flow = max_flow.SimpleMaxFlow()
    for person in people:
        capacity = min(person_capacity(problem, person), degree[person])
        flow.add_arc_with_capacity(source, index[person], capacity)
        flow.add_arc_with_capacity(n + index[person], sink, capacity)
    for r in requests:
        flow.add_arc_with_capacity(index[r.a], n + index[r.b], 1)
        flow.add_arc_with_capacity(index[r.b], n + index[r.a], 1)
    if flow.solve(source, sink) != flow.OPTIMAL:  # type: ignore[no-untyped-call]  # ortools stub gap
        raise RuntimeError("max flow failed")
    return flow.optimal_flow() // 2


@dataclass(frozen=True)
class Selection:
    """Which meetings to hold, ignoring when: a maximum b-matching of the request graph."""

    requests: tuple[str, ...]  # the chosen request ids, most constrained first
    bound: int  # proven: no schedule holds more meetings than this
    optimal: bool  # the selection is as large as any can be
    people_with_none: int  # people with requests who get no meeting
    minimum_share: int  # per cent: the least share of their possible meetings, among the rest


def select_meetings(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> Selection:
    """The most (then highest-priority) meetings such that nobody has more than they have
    free slots and the meeting places suffice: an integer b-matching, solved with CP-SAT.

    It relaxes the schedule (slots become a count), so its proven objective bound is an
    upper bound on meetings, often tighter than the fractional one: odd cycles of people
    who all want to meet each other cannot each be half-met. It is also the best start for
    building a schedule: on large fairs nearly every meeting it picks can be given a slot.
    """
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    model = cp_model.CpModel()
    chosen: dict[str, cp_model.IntVar] = {}
    by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    regular: list[cp_model.IntVar] = []
    for request in problem.requests:
        if not problem.feasible_slots[request.id] or not problem.placeable(request):
            continue
        var = model.new_bool_var(request.id)
        if request.id in problem.locked:
            model.add(var == 1)
        chosen[request.id] = var
        for person in request.people:
            by_person[person].append(var)
        if not any(p in problem.fixed_table for p in request.people):
            regular.append(var)
    for person, vars_ in by_person.items():
        capacity = person_capacity(problem, person)
        if len(vars_) > capacity:
            model.add(sum(vars_) <= capacity)
    places = sum(slot.tables for slot in problem.slots)
    if len(regular) > places:
        model.add(sum(regular) <= places)
    # One more meeting outweighs any mix of priorities (as in the CP-SAT schedule model).
    meeting = 8 * len(chosen) + 8
    objective = sum(
        (meeting + 2 * problem.request_by_id[rid].priority) * v for rid, v in chosen.items()
    )
    model.maximize(objective)
    # Most of the time for the meetings themselves; fairness refines what is found.
    solver = new_solver(time_limit * 0.6, seed=seed)
    started = time.perf_counter()
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Selection((), len(chosen), False, 0, 0)
    # The objective bound covers the priority terms too, which sum to less than a meeting.
    bound = min(int(solver.best_objective_bound + 1e-6) // meeting, len(chosen))
    optimal = status == cp_model.OPTIMAL
    values = {rid: solver.value(v) for rid, v in chosen.items()}
    fairer = _raise_fairness(
        problem,
        model,
        chosen,
        by_person,
        keep=objective >= int(solver.objective_value),
        values=values,
        time_limit=max(time_limit - (time.perf_counter() - started), 0.5),
        seed=seed,
    )
    values = fairer or values
    picked = [rid for rid, value in values.items() if value]
    degree: dict[str, int] = defaultdict(int)
    for rid in picked:
        for person in problem.request_by_id[rid].people:
            degree[person] += 1

    def hardness(rid: str) -> tuple[bool, int, int, int, str]:
        request = problem.request_by_id[rid]
        return (
            rid not in problem.locked,
            len(problem.feasible_slots[rid]),
            -(degree[request.a] + degree[request.b]),
            -request.priority,
            rid,
        )

    picked.sort(key=hardness)
    return Selection(tuple(picked), bound, optimal, *measure_fairness(problem, picked))


def _wanted(problem: Problem, by_person: dict[str, list[cp_model.IntVar]]) -> dict[str, int]:
    """Meetings each person could have at most: their requests, capped by free slots."""
    return {p: min(len(v), person_capacity(problem, p)) for p, v in by_person.items()}


def measure_fairness(problem: Problem, selected: Iterable[str]) -> tuple[int, int]:
    """(people with requests but no meeting, least share in per cent of a person's possible
    meetings that are met, among people with at least one)."""
    by_person: dict[str, int] = defaultdict(int)
    for request in problem.requests:
        if problem.feasible_slots[request.id] and problem.placeable(request):
            for person in request.people:
                by_person[person] += 1
    met: dict[str, int] = defaultdict(int)
    for rid in selected:
        for person in problem.request_by_id[rid].people:
            met[person] += 1
    wanted = {p: min(n, person_capacity(problem, p)) for p, n in by_person.items()}
    none = sum(1 for p, w in wanted.items() if w and not met[p])
    shares = [100 * met[p] // w for p, w in wanted.items() if w and met[p]]
    return none, min(shares, default=100)


def _raise_fairness(
    problem: Problem,
    model: cp_model.CpModel,
    chosen: dict[str, cp_model.IntVar],
    by_person: dict[str, list[cp_model.IntVar]],
    *,
    keep: cp_model.BoundedLinearExpression | bool,
    values: dict[str, int],
    time_limit: float,
    seed: int,
) -> dict[str, int] | None:
    """Fairness, second in rank: among selections as good as the first (`keep`), the one
    that leaves fewest people with no meeting, then raises the least share (in per cent)
    of a person's possible meetings that are met. (Max-min alone would give up as soon as
    one person cannot be helped.)"""
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    model.add(keep)
    wanted = _wanted(problem, by_person)
    minimum = model.new_int_var(0, 100, "minimum_share")
    covered: list[cp_model.IntVar] = []
    for person, vars_ in by_person.items():
        if wanted[person]:
            has_one = model.new_bool_var(f"covered[{person}]")
            model.add(sum(vars_) >= 1).only_enforce_if(has_one)
            model.add(100 * sum(vars_) >= minimum * wanted[person]).only_enforce_if(has_one)
            covered.append(has_one)
    model.clear_objective()  # type: ignore[no-untyped-call]  # ortools leaves it unannotated
    model.maximize(101 * sum(covered) + minimum)
    for rid, var in chosen.items():
        model.add_hint(var, values[rid])
    solver = new_solver(time_limit, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {rid: solver.value(v) for rid, v in chosen.items()}
