"""Proven upper bounds on how many requests any schedule can hold.

Reported next to every schedule so the organiser knows how far from perfect it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from superconnector.engine.scheduling.problem import Problem


@dataclass(frozen=True)
class UpperBound:
    value: int  # the tightest of the bounds below
    requests: int  # schedulable requests (both people share at least one free slot)
    tables: int  # meeting places: the slots' tables, plus hosts' booths
    b_matching: int  # fractional b-matching over people's free slots


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


def fractional_b_matching(problem: Problem, requests) -> int:
    """max sum x_r subject to each person's meetings <= capacity, 0 <= x_r <= 1.

    Solved exactly as half the maximum flow of the bipartite double cover (each person on
    both sides, each request an arc each way); the floor is a valid integer bound.
    """
    from ortools.graph.python import max_flow

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
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow failed")
    return flow.optimal_flow() // 2
