"""Re-planning a published schedule keeps what people were told unless moving it pays
(issue 15): no announced meeting removed without a net gain, locked ones never moved, and
at most `exchange_rate` moves (slot or table) per meeting gained."""

import random
from fractions import Fraction

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from superconnector.engine.scheduling import (
    Placement,
    Problem,
    Request,
    Slot,
    check_schedule,
    greedy_schedule,
)
from superconnector.engine.scheduling.cpsat import assign_tables
from superconnector.engine.scheduling.replan import (
    is_replanning,
    keep_announced,
    measure_stability,
)
from superconnector.engine.scheduling.solve import solve
from tests.engine.test_scheduling import problems


def slots(count=3, tables=2):
    return [Slot(i, 540 + 20 * i, 560 + 20 * i, tables, "am") for i in range(count)]


def test_before_publication_nothing_is_reported_about_moves():
    problem = Problem(slots(), [Request("r1", "a", "b"), Request("r2", "a", "c")])
    schedule, _bound, _ = solve(problem, time_limit=2)
    assert len(schedule.placements) == 2
    assert schedule.zero_move_meetings is None


def test_a_no_show_frees_their_places_and_nothing_else_moves():
    requests = [
        Request("ab", "a", "b"),
        Request("ac", "a", "c"),
        Request("bd", "b", "d"),
        Request("cd", "c", "d"),
        Request("xe", "x", "e"),
    ]
    published = {
        "ab": Placement(0, "T1"),
        "cd": Placement(0, "T2"),
        "ac": Placement(1, "T2"),
        "bd": Placement(1, "T1"),
        "xe": Placement(2, "T1"),
    }
    problem = Problem(slots(), requests, availability={"x": frozenset()}, previous=published)
    schedule, _bound, _ = solve(problem, time_limit=2)
    assert schedule.placements == {k: v for k, v in published.items() if k != "xe"}
    assert schedule.zero_move_meetings == 4


def test_an_announced_meeting_is_not_swapped_for_one_of_equal_count():
    # a and b met in the only slot; a's request to c (higher priority) could take it, but
    # only by removing a-b: one for one, no gain.
    problem = Problem(
        slots(count=1),
        [Request("ab", "a", "b", 1), Request("ac", "a", "c", 3)],
        previous={"ab": Placement(0, "T1")},
    )
    schedule, _bound, _ = solve(problem, time_limit=2)
    assert schedule.placements == {"ab": Placement(0, "T1")}


def paying_problem():
    """a-b announced in slot 0; a late request a-c fits only in slot 0 (c is free only
    then): moving a-b to slot 1 gains a meeting for one move."""
    return Problem(
        slots(count=2, tables=2),
        [Request("ab", "a", "b"), Request("ac", "a", "c")],
        availability={"c": frozenset({0})},
        previous={"ab": Placement(0, "T1")},
    )


def test_a_move_that_gains_a_meeting_is_taken():
    schedule, _bound, _ = solve(paying_problem(), time_limit=2)
    assert schedule.placements["ac"].slot == 0
    assert schedule.placements["ab"].slot == 1
    assert schedule.zero_move_meetings == 1


def test_a_move_dearer_than_the_exchange_rate_is_not_taken():
    schedule, _bound, _ = solve(paying_problem(), time_limit=2, exchange_rate=0.5)
    assert schedule.placements == {"ab": Placement(0, "T1")}


def test_a_meeting_keeping_its_slot_keeps_its_table_when_another_moves_in():
    # "aa" moves into slot 0 and is seated first by name; "zz" stays in slot 0 and must
    # keep its T1 rather than walk to another table.
    problem = Problem(
        slots(count=2, tables=3),
        [Request("aa", "a", "b"), Request("zz", "c", "d")],
        previous={"aa": Placement(1, "T2"), "zz": Placement(0, "T1")},
    )
    placements = assign_tables(problem, {"aa": 0, "zz": 0})
    assert placements["zz"] == Placement(0, "T1")
    assert placements["aa"].table != "T1"


def test_a_table_that_is_gone_is_the_only_reason_to_change_table():
    problem = Problem(
        slots(count=1, tables=1), [Request("ab", "a", "b")], previous={"ab": Placement(0, "T4")}
    )
    assert keep_announced(problem) == {}
    schedule, _bound, _ = solve(problem, time_limit=2)
    assert schedule.placements == {"ab": Placement(0, "T1")}


def test_consecutive_meetings_of_a_person_share_a_table_where_they_can():
    # a sits at T2 in slot 0 (m1 took T1); in slot 1 every table is free: a stays at T2.
    problem = Problem(
        slots(count=2, tables=3),
        [Request("m1", "c", "d"), Request("m2", "a", "b"), Request("m3", "a", "e")],
    )
    placements = assign_tables(problem, {"m1": 0, "m2": 0, "m3": 1})
    assert placements["m2"] == Placement(0, "T2")
    assert placements["m3"] == Placement(1, "T2")


@st.composite
def crowded(draw):
    """Few slots and tables, many requests: where re-planning has choices to make."""
    people = [f"p{i}" for i in range(draw(st.integers(4, 9)))]
    tables = draw(st.integers(1, 3))
    slot_list = slots(count=draw(st.integers(2, 4)), tables=tables)
    pairs = draw(
        st.sets(
            st.tuples(st.sampled_from(people), st.sampled_from(people)).filter(
                lambda t: t[0] < t[1]
            ),
            min_size=3,
            max_size=18,
        )
    )
    requests = [Request(f"r{n}", a, b) for n, (a, b) in enumerate(sorted(pairs))]
    ids = [s.id for s in slot_list]
    availability = {
        p: frozenset(draw(st.sets(st.sampled_from(ids), min_size=1)))
        for p in people
        if draw(st.integers(0, 2)) == 0
    }
    return Problem(slot_list, requests, availability=availability)


@st.composite
def re_plans(draw):
    """A published schedule (optimal, or a quick one as a busy machine gives), then the day
    changes: no-shows, late accepts, some meetings locked (held or pinned), and the
    organiser's exchange rate."""
    planned = draw(st.one_of(crowded(), problems()))
    if draw(st.booleans()):
        published, _bound, _ = solve(planned, time_limit=2)
    else:
        published = greedy_schedule(planned)
    people = sorted({p for r in planned.requests for p in r.people} | {"late0", "late1"})
    absent = draw(st.sets(st.sampled_from(people), max_size=2))
    late = [
        Request(f"late{n}", a, b)
        for n, (a, b) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(people), st.sampled_from(people)).filter(
                        lambda t: t[0] < t[1]
                    ),
                    max_size=4,
                    unique=True,
                )
            )
        )
    ]
    locked = {
        rid: placement
        for rid, placement in sorted(published.placements.items())
        if not absent & set(planned.request_by_id[rid].people) and draw(st.integers(0, 3)) == 0
    }
    availability = dict(planned.availability)
    for person in absent:
        availability[person] = frozenset()
    problem = Problem(
        list(planned.slots),
        [*planned.requests, *late],
        availability=availability,
        locked=locked,
        fixed_table=dict(planned.fixed_table),
        previous=dict(published.placements),
    )
    rate = draw(st.sampled_from([0, 0.5, 1, 2, 3]))
    return problem, rate


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(re_plans())
def test_re_planning_pays_for_every_change_it_makes(case):
    problem, rate = case
    schedule, bound, _ = solve(problem, time_limit=2, exchange_rate=rate)
    assert check_schedule(problem, schedule) == []
    assert all(schedule.placements.get(rid) == p for rid, p in problem.locked.items())
    stability = measure_stability(problem, schedule)
    if not is_replanning(problem):  # nothing was published: planned afresh
        assert schedule.zero_move_meetings is None
        return
    gained = len(schedule.placements) - schedule.zero_move_meetings
    assert gained >= 0
    assert len(schedule.placements) <= bound.value
    event(f"gained {min(gained, 2)}, moved {min(stability.moves, 2)}, removed {stability.removed}")
    if gained == 0:
        assert stability.removed == 0
        assert stability.moves == 0
    assert stability.moves + stability.removed <= Fraction(rate) * gained


def random_re_plan(seed: int) -> tuple[Problem, float]:
    """Seeded: a crowded one-session event, published by the greedy (not optimal, as under
    a short limit) or by solve, then no-shows, late accepts, a few locks and a rate."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(rng.randint(4, 9))]
    slot_list = [
        Slot(i, 540 + 20 * i, 560 + 20 * i, rng.randint(1, 3), "am")
        for i in range(rng.randint(2, 4))
    ]
    pairs = {tuple(sorted(rng.sample(people, 2))) for _ in range(rng.randint(3, 18))}
    requests = [Request(f"r{n}", a, b) for n, (a, b) in enumerate(sorted(pairs))]
    availability = {
        p: frozenset(rng.sample(range(len(slot_list)), rng.randint(1, len(slot_list))))
        for p in people
        if rng.random() < 0.3
    }
    planned = Problem(slot_list, requests, availability=availability)
    published = greedy_schedule(planned) if seed % 2 else solve(planned, time_limit=2)[0]
    late = []
    for n in range(rng.randint(0, 4)):
        pair = tuple(sorted(rng.sample(people, 2)))
        if pair not in pairs:
            pairs.add(pair)
            late.append(Request(f"late{n}", *pair))
    absent = set(rng.sample(people, rng.randint(0, 2)))
    for person in absent:
        availability[person] = frozenset()
    locked = {
        rid: placement
        for rid, placement in sorted(published.placements.items())
        if not absent & set(planned.request_by_id[rid].people) and rng.random() < 0.15
    }
    problem = Problem(
        slot_list,
        [*requests, *late],
        availability=availability,
        locked=locked,
        previous=dict(published.placements),
    )
    return problem, rng.choice([0, 0.5, 1, 2, 3])


def test_re_planning_pays_for_its_changes_on_seeded_crowded_events():
    paid = 0
    for seed in range(150):
        problem, rate = random_re_plan(seed)
        schedule, _bound, _ = solve(problem, time_limit=2, exchange_rate=rate)
        assert check_schedule(problem, schedule) == [], seed
        assert all(schedule.placements.get(rid) == p for rid, p in problem.locked.items()), seed
        stability = measure_stability(problem, schedule)
        zero = schedule.zero_move_meetings if is_replanning(problem) else len(schedule.placements)
        gained = len(schedule.placements) - zero
        assert gained >= 0, seed
        assert stability.moves + stability.removed <= Fraction(rate) * gained, (seed, stability)
        paid += bool(stability.moves + stability.removed)
    assert paid >= 5  # the search does take paying changes, not only none at all
