"""Meeting scheduling: problem -> bounds / greedy / exact search -> checked solution.

problem = Problem(slots, requests, availability=..., locked=...)
schedule = greedy_schedule(problem)
assert not check_schedule(problem, schedule)
bound = upper_bound(problem)
"""

from superconnector.engine.scheduling.bounds import UpperBound, upper_bound
from superconnector.engine.scheduling.greedy import greedy_schedule
from superconnector.engine.scheduling.problem import Placement, Problem, Request, Schedule, Slot
from superconnector.engine.scheduling.solution import check_schedule, idle_gaps

__all__ = [
    "Placement",
    "Problem",
    "Request",
    "Schedule",
    "Slot",
    "UpperBound",
    "check_schedule",
    "greedy_schedule",
    "idle_gaps",
    "upper_bound",
]
