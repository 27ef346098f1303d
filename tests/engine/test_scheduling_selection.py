"""Selecting meetings (integer b-matching), fairness, and colouring them into slots."""

import itertools
from collections import Counter

from hypothesis import HealthCheck, given, settings

from superconnector.engine.scheduling import (
    Problem,
    Request,
    Slot,
    check_schedule,
    upper_bound,
)
from superconnector.engine.scheduling.bounds import person_capacity, select_meetings
from superconnector.engine.scheduling.colouring import colour_schedule, slots_overlap
from superconnector.engine.scheduling.solve import solve
from tests.engine.test_scheduling import problems, tiny_problems


def slots(count, tables=10):
    return [Slot(i, 540 + 20 * i, 560 + 20 * i, tables, "am") for i in range(count)]


def test_the_integer_bound_sees_odd_cycles_the_fractional_one_cannot():
    # Two triangles of people who all want to meet, one slot: each triangle can hold one
    # meeting, but half of each of its three is a valid fractional solution (1.5 each).
    triangles = [("a", "b", "c"), ("d", "e", "f")]
    requests = [
        Request(f"{x}{y}", x, y)
        for t in triangles
        for x, y in ((t[0], t[1]), (t[1], t[2]), (t[0], t[2]))
    ]
    problem = Problem(slots(1), requests)
    assert upper_bound(problem).b_matching == 3
    schedule, bound, _ = solve(problem, time_limit=5)
    assert bound.value == bound.integer == 2
    assert len(schedule.placements) == 2 and schedule.optimal


def test_fairness_gives_everyone_a_meeting_when_the_count_allows_it():
    # Each hub can meet two of its three visitors; the third visitor asked only the hub.
    # Every choice holds as many meetings, so fairness decides: nobody is left with none.
    requests = []
    for hub in range(5):
        h = f"hub{hub}"
        for v in ("a", "b"):
            requests.append(Request(f"{h}-{v}", h, f"{h}{v}"))
            requests.append(Request(f"{h}{v}-x", f"{h}{v}", f"{h}{v}x"))
        requests.append(Request(f"{h}-c", h, f"{h}c"))
    problem = Problem(slots(2), requests)
    selection = select_meetings(problem, time_limit=5)
    assert selection.optimal and len(selection.requests) == selection.bound == 20
    assert selection.people_with_none == 0 and selection.minimum_share == 50
    schedule, _bound, _ = solve(problem, time_limit=5)
    assert all(f"hub{hub}-c" in schedule.placements for hub in range(5))


def test_a_kempe_chain_frees_a_slot_for_a_meeting_with_no_common_free_slot():
    # yz takes slot 0 first, so vy goes to 1; x can only meet in 0, so ux is there too.
    # Then u is busy in 0 and v in 1: uv fits only after vy and yz swap slots.
    problem = Problem(
        slots(2),
        [
            Request("yz", "y", "z"),
            Request("vy", "v", "y"),
            Request("ux", "u", "x"),
            Request("uv", "u", "v"),
        ],
        availability={"x": frozenset({0})},
    )
    schedule = colour_schedule(problem, ["yz", "vy", "ux", "uv"])
    assert check_schedule(problem, schedule) == []
    assert set(schedule.placements) == {"yz", "vy", "ux", "uv"}
    assert schedule.placements["ux"].slot == 0


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_locks=True))
def test_colouring_respects_every_hard_constraint_and_keeps_locks(problem):
    if slots_overlap(problem):
        return  # overlapping sessions are the greedy's (tested there)
    order = sorted(r.id for r in problem.requests)
    schedule = colour_schedule(problem, order)
    assert check_schedule(problem, schedule) == []
    assert all(schedule.placements[r] == p for r, p in problem.locked.items())
    assert set(schedule.placements) | set(schedule.unscheduled) == {r.id for r in problem.requests}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_locks=True))
def test_the_selection_bound_holds_every_schedule_and_no_more_than_the_fractional(problem):
    selection = select_meetings(problem, time_limit=5)
    schedule, bound, _ = solve(problem, time_limit=5)
    assert len(schedule.placements) <= selection.bound <= upper_bound(problem).value
    assert bound.value <= selection.bound
    assert set(problem.locked) <= set(selection.requests)


def brute_force_selection(problem):
    """(meetings, priority sum, -people with none, least share among the others) of the
    best selection, by enumeration."""
    requests = [r for r in problem.requests if problem.feasible_slots[r.id]]
    capacity = {p: person_capacity(problem, p) for p in problem.people}
    wanted = Counter(p for r in requests for p in r.people)
    wanted = {p: min(n, capacity[p]) for p, n in wanted.items()}
    places = sum(s.tables for s in problem.slots)
    best = (0, 0, -len(problem.people), 0)
    for size in range(len(requests) + 1):
        for subset in itertools.combinations(requests, size):
            met = Counter(p for r in subset for p in r.people)
            if size > places or any(met[p] > capacity[p] for p in met):
                continue
            none = sum(1 for p, w in wanted.items() if w and not met[p])
            share = min((100 * met[p] // w for p, w in wanted.items() if met[p]), default=100)
            best = max(best, (size, sum(r.priority for r in subset), -none, share))
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_the_selection_is_the_fairest_of_the_largest(problem):
    selection = select_meetings(problem, time_limit=5)
    chosen = [problem.request_by_id[r] for r in selection.requests]
    assert selection.optimal
    assert (
        len(chosen),
        sum(r.priority for r in chosen),
        -selection.people_with_none,
        selection.minimum_share,
    ) == brute_force_selection(problem)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_locks=True))
def test_solving_twice_gives_the_same_schedule(problem):
    first, _bound, _ = solve(problem, time_limit=3, seed=7)
    second, _bound, _ = solve(problem, time_limit=3, seed=7)
    assert first.placements == second.placements


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(with_locks=True))
def test_compacting_keeps_meetings_rules_and_locks_and_never_adds_gaps(problem):
    from superconnector.engine.scheduling import greedy_schedule, idle_gaps
    from superconnector.engine.scheduling.compact import compact_schedule

    start = greedy_schedule(problem)
    compact = compact_schedule(problem, start, time_limit=5)
    assert set(compact.placements) == set(start.placements)
    assert check_schedule(problem, compact) == []
    assert idle_gaps(problem, compact) <= idle_gaps(problem, start)
    assert all(compact.placements[r] == p for r, p in problem.locked.items())


def test_compacting_swaps_a_blocking_meeting_to_close_a_gap():
    from superconnector.engine.scheduling import Placement, Schedule, idle_gaps
    from superconnector.engine.scheduling.compact import compact_schedule

    # a meets b at 0 and c at 2 (a gap at 1); b can only meet at 0; d holds c at 1.
    # Moving ac to 1 needs cd to take slot 2: a two-meeting move, no single relocation.
    problem = Problem(
        slots(3),
        [Request("ab", "a", "b"), Request("ac", "a", "c"), Request("cd", "c", "d")],
        availability={"b": frozenset({0})},
    )
    spread = Schedule(
        placements={"ab": Placement(0, "T1"), "ac": Placement(2, "T1"), "cd": Placement(1, "T1")}
    )
    assert idle_gaps(problem, spread) == 1
    compact = compact_schedule(problem, spread, time_limit=5)
    assert idle_gaps(problem, compact) == 0 and check_schedule(problem, compact) == []
