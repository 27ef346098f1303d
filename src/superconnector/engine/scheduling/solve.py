"""Choosing the technique: the greedy first; exact search only where it can still gain."""

from __future__ import annotations

import time

from superconnector.engine.scheduling.bounds import UpperBound, upper_bound
from superconnector.engine.scheduling.cpsat import minimise_gaps, solve_cpsat
from superconnector.engine.scheduling.greedy import greedy_schedule, repair_schedule
from superconnector.engine.scheduling.problem import Problem, Schedule
from superconnector.engine.scheduling.solution import check_schedule, idle_gaps

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
    if len(best.placements) < bound.value and best.unscheduled:
        # Augmenting moves: cheap, and they pay most where exact search cannot go.
        best = repair_schedule(problem, best, time_limit=max(time_limit / 4, 1.0))
    size = sum(len(slots) for slots in problem.feasible_slots.values())
    if len(best.placements) >= bound.value:
        best.optimal = True  # nothing can hold more than the bound
    elif size <= EXACT_LIMIT:
        remaining = time_limit - (time.perf_counter() - started)
        exact = solve_cpsat(problem, time_limit=remaining, warm_start=best, seed=seed)
        if len(exact.placements) >= len(best.placements):
            best = exact
        if len(best.placements) >= bound.value:
            best.optimal = True
    # Then the same meetings, re-slotted for fewest idle gaps, in whatever time is left.
    remaining = time_limit - (time.perf_counter() - started)
    if size <= EXACT_LIMIT and remaining > 1 and idle_gaps(problem, best) > 0:
        compact = minimise_gaps(
            problem, best, time_limit=min(remaining, max(time_limit / 2, 1)), seed=seed
        )
        if not check_schedule(problem, compact) and idle_gaps(problem, compact) < idle_gaps(
            problem, best
        ):
            best = compact
    return best, bound, time.perf_counter() - started
