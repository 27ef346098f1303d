"""Choosing the technique: the greedy first; exact search only where it can still gain."""

from __future__ import annotations

import time

from superconnector.engine.scheduling.bounds import UpperBound, upper_bound
from superconnector.engine.scheduling.cpsat import solve_cpsat
from superconnector.engine.scheduling.greedy import greedy_schedule
from superconnector.engine.scheduling.problem import Problem, Schedule

# Beyond this many (request, slot) variables CP-SAT rarely improves on the greedy within
# minutes on two cores; such events keep the greedy (and its repair, later).
EXACT_LIMIT = 400_000


def solve(
    problem: Problem, *, time_limit: float = 60.0, seed: int = 0
) -> tuple[Schedule, UpperBound, float]:
    """(schedule, proven upper bound, seconds). The schedule is optimal when it says so."""
    started = time.perf_counter()
    bound = upper_bound(problem)
    best = greedy_schedule(problem)
    if len(best.placements) >= bound.value:
        best.optimal = True  # nothing can hold more than the bound
        return best, bound, time.perf_counter() - started
    size = sum(len(slots) for slots in problem.feasible_slots.values())
    if size <= EXACT_LIMIT:
        remaining = time_limit - (time.perf_counter() - started)
        exact = solve_cpsat(problem, time_limit=remaining, warm_start=best, seed=seed)
        if _value(exact) >= _value(best):
            best = exact
        if len(best.placements) >= bound.value:
            best.optimal = True
    return best, bound, time.perf_counter() - started


def _value(schedule: Schedule) -> tuple[int, int]:
    return (len(schedule.placements), 0)
