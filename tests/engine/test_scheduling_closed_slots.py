"""Closed slots (on the day: those that have begun) take no new meeting; the meetings
already in them stay where they are (finding 10, the engine's half: plain data in)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from superconnector.engine.scheduling import (
    Placement,
    Problem,
    Request,
    Slot,
    check_schedule,
    greedy_schedule,
    upper_bound,
)
from superconnector.engine.scheduling.solve import OUT_OF_TIME, solve
from tests.engine.test_scheduling import problems


@st.composite
def on_the_day(draw):
    """A planned problem, then the clock moves: slots starting by `now` close, and the
    meetings the first plan put in them have been held (they are kept, as locks)."""
    planned = draw(problems(with_locks=True))
    first = greedy_schedule(planned)
    now = draw(st.sampled_from(sorted({s.start for s in planned.slots})))
    closed = frozenset(s.id for s in planned.slots if s.start <= now)
    held = {rid: p for rid, p in first.placements.items() if p.slot in closed}
    locked = {**planned.locked, **held}
    # Requests accepted since: the greedy would put them into the earliest free slot.
    people = sorted({f"p{i}" for i in range(14)})
    late = [
        Request(f"late{n}", a, b)
        for n, (a, b) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(people), st.sampled_from(people)).filter(
                        lambda t: t[0] < t[1]
                    ),
                    max_size=6,
                    unique=True,
                )
            )
        )
    ]
    problem = Problem(
        list(planned.slots),
        [*planned.requests, *late],
        availability=dict(planned.availability),
        locked=locked,
        fixed_table=dict(planned.fixed_table),
        previous=dict(first.placements),
        closed=closed,
    )
    return problem, closed, locked


def new_in_closed(problem, schedule, closed, locked) -> list[str]:
    return [
        rid
        for rid, placement in schedule.placements.items()
        if placement.slot in closed and locked.get(rid) != placement
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(on_the_day())
def test_greedy_never_places_a_new_meeting_in_a_closed_slot(case):
    problem, closed, locked = case
    schedule = greedy_schedule(problem)
    assert check_schedule(problem, schedule) == []
    assert new_in_closed(problem, schedule, closed, locked) == []
    assert all(schedule.placements[rid] == p for rid, p in locked.items())
    assert len(schedule.placements) <= upper_bound(problem).value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(on_the_day())
def test_solve_never_places_a_new_meeting_in_a_closed_slot(case):
    problem, closed, locked = case
    schedule, bound, _seconds = solve(problem, time_limit=3)
    assert check_schedule(problem, schedule) == []
    assert new_in_closed(problem, schedule, closed, locked) == []
    assert all(schedule.placements[rid] == p for rid, p in locked.items())
    assert len(schedule.placements) <= bound.value


def test_a_closed_slot_keeps_its_meeting_and_offers_nothing_else():
    slots = [Slot(1, 540, 560, 3, "am"), Slot(2, 560, 580, 3, "am"), Slot(3, 580, 600, 3, "am")]
    requests = [Request("held", "a", "b"), Request("new", "c", "d"), Request("late", "a", "e")]
    availability = {"e": frozenset({1, 2})}  # e can only come early
    problem = Problem(
        slots,
        requests,
        availability=availability,
        locked={"held": Placement(1, "T2")},
        closed=frozenset({1, 2}),
    )
    assert availability == {"e": frozenset({1, 2})}  # the caller's data is left alone
    assert [(s.id, s.tables) for s in problem.slots] == [(1, 1), (3, 3)]  # 2 held nothing
    assert problem.availability["a"] == frozenset({1, 3}) and problem.availability["c"] == {3}
    schedule, _bound, _seconds = solve(problem, time_limit=2)
    assert schedule.placements["held"] == Placement(1, "T2")
    assert schedule.placements["new"].slot == 3
    # e and a could have met only at 9:00 or 9:20, which have begun: said so.
    assert schedule.unscheduled == {"late": OUT_OF_TIME}


@pytest.mark.parametrize("closed", [frozenset(), frozenset({9})])
def test_no_closed_slot_changes_nothing(closed):
    slots = [Slot(1, 540, 560, 1, "am")]
    problem = Problem(slots, [Request("r", "a", "b")], closed=closed)
    assert problem.slots == slots and problem.availability.get("a") in (None, frozenset({1}))
    assert greedy_schedule(problem).placements == {"r": Placement(1, "T1")}
