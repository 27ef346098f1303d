"""Choosing the technique, by measurement (docs/scheduling.md has the figures).

1. Select which meetings to hold: an integer b-matching (CP-SAT, seconds even for
   18,000 requests), which also proves an upper bound and raises the fairest share.
2. Give them slots: edge colouring with Kempe-chain swaps, which places every selected
   meeting on the generated fairs and seminars (overlapping sessions use the greedy).
3. Repair what is left by moving single meetings out of the way.
4. Where it can still gain and is small enough, exact search (CP-SAT), warm-started.
5. Re-slot the same meetings for the fewest idle gaps in whatever time is left (local
   search; the CP-SAT gap model where sessions overlap).

Once a schedule has been announced, 2 to 5 give way to re-planning (`replan.py`): what
people were told stays unless moving it pays at the organiser's exchange rate.
"""

from __future__ import annotations

import dataclasses
import time

from superconnector.engine.scheduling.bounds import UpperBound, select_meetings, upper_bound
from superconnector.engine.scheduling.colouring import colour_schedule, slots_overlap
from superconnector.engine.scheduling.compact import compact_schedule
from superconnector.engine.scheduling.cpsat import minimise_gaps, solve_cpsat
from superconnector.engine.scheduling.greedy import greedy_schedule, repair_schedule
from superconnector.engine.scheduling.problem import Problem, Schedule
from superconnector.engine.scheduling.replan import DEFAULT_EXCHANGE_RATE, is_replanning, replan
from superconnector.engine.scheduling.solution import check_schedule, idle_gaps

# Beyond this many (request, slot) variables CP-SAT rarely improves on the construction
# within minutes on two cores; such events keep the colouring and its repair.
EXACT_LIMIT = 400_000


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    exchange_rate: float = DEFAULT_EXCHANGE_RATE,
    keep_announced: bool = True,
) -> tuple[Schedule, UpperBound, float]:
    """(schedule, proven upper bound, seconds). The schedule is optimal when it says so.

    With announced placements (`problem.previous`) it re-plans: announced meetings move
    only at most `exchange_rate` moves per meeting gained, and the schedule reports
    `zero_move_meetings`. `keep_announced=False` plans afresh instead, preferring announced
    slots only where they happen to be free (the behaviour before issue 15; the bench
    compares the two).
    """
    started = time.perf_counter()

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    bound = upper_bound(problem)
    selection = select_meetings(problem, time_limit=min(max(time_limit / 6, 1.0), 20.0), seed=seed)
    # Valid even when the selection timed out (it is then the solver's proven bound).
    bound = dataclasses.replace(
        bound, value=min(bound.value, selection.bound), integer=selection.bound
    )
    if keep_announced and is_replanning(problem):
        best = replan(
            problem,
            bound=bound.value,
            time_limit=max(remaining(), 1.0),
            seed=seed,
            exchange_rate=exchange_rate,
        )
        _explain_closed_slots(problem, best)
        return best, bound, time.perf_counter() - started
    best = build_schedule(problem, selection.requests, time_limit=max(remaining() / 3, 1.0))
    if len(best.placements) < bound.value and best.unscheduled:
        # Augmenting moves: cheap, and they pay most where exact search cannot go.
        best = repair_schedule(problem, best, time_limit=max(remaining() / 4, 1.0))
    size = sum(len(slots) for slots in problem.feasible_slots.values())
    if len(best.placements) >= bound.value:
        best.optimal = True  # nothing can hold more than the bound
    elif size <= EXACT_LIMIT and remaining() > 1:
        exact = solve_cpsat(problem, time_limit=remaining(), warm_start=best, seed=seed)
        if len(exact.placements) >= len(best.placements):
            best = exact
        if len(best.placements) >= bound.value:
            best.optimal = True
    # Then the same meetings, re-slotted for fewest idle gaps, in whatever time is left:
    # local search where sessions do not overlap (deterministic, scales to fairs; on the
    # 300-person session it reached 121 gaps where the CP-SAT gap model, with its
    # non-deterministic parallel search, reached about 70), the CP-SAT model elsewhere.
    if remaining() > 0.5 and idle_gaps(problem, best) > 0:
        if not slots_overlap(problem):
            best = compact_schedule(problem, best, time_limit=remaining())
        elif size <= EXACT_LIMIT:
            compact = minimise_gaps(problem, best, time_limit=remaining(), seed=seed)
            if not check_schedule(problem, compact) and idle_gaps(problem, compact) < idle_gaps(
                problem, best
            ):
                best = compact
    _explain_closed_slots(problem, best)
    return best, bound, time.perf_counter() - started


# The reason given to a request that could only have met in slots that are closed.
OUT_OF_TIME = "every slot both people could attend has begun"


def _explain_closed_slots(problem: Problem, schedule: Schedule) -> None:
    for request_id in schedule.unscheduled:
        if problem.out_of_time(problem.request_by_id[request_id]):
            schedule.unscheduled[request_id] = OUT_OF_TIME


def build_schedule(problem: Problem, selected: tuple[str, ...], *, time_limit: float) -> Schedule:
    """A first schedule: the selected meetings coloured into slots where sessions do not
    overlap, else (or if the colouring holds fewer) the greedy's."""
    if slots_overlap(problem) or not selected:
        return greedy_schedule(problem)
    picked = set(selected)
    rest = sorted(
        (r for r in problem.requests if r.id not in picked),
        key=lambda r: (-r.priority, len(problem.feasible_slots[r.id]), r.id),
    )
    coloured = colour_schedule(problem, selected, rest=[r.id for r in rest], time_limit=time_limit)
    if check_schedule(problem, coloured):  # e.g. two hosts sharing one booth label
        return greedy_schedule(problem)
    return coloured
