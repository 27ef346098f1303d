import itertools
import time
from pathlib import Path

import pytest

from superconnector.engine.scheduling.b2bsp import breaks_of, check_b2b, read_dzn, solve_b2b_cpsat

TINY = """
% a tiny instance in the benchmark's format
nBusiness = 4;
nMeetings = 4;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,3,
|1, 3,3,
|1, 4,1,
|2, 3,2,
|];
meetingsxBusiness = [{1,2,3,4},{1,2,5},{1,3,5},{1,4}];
nMeetingsBusiness = [3,2,2,1];
forbidden = [{0},{4},{0},{0}];
fixed = [0,0,0,0];
precedences = [{},{},{},{1}];
"""


def test_the_format_is_read_with_its_sentinels():
    instance = read_dzn(TINY, "tiny")
    assert (instance.participants, instance.tables, instance.slots, instance.morning_slots) == (
        4,
        2,
        4,
        2,
    )
    assert instance.meetings[2] == (1, 4, 1) and instance.meetings[3] == (2, 3, 2)
    assert instance.forbidden == {2: {4}}  # {0} means none
    assert instance.precedences == {3: {0}}  # meeting 4 after meeting 1 (0-based)
    assert instance.allowed_slots(2) == [1, 2]  # morning only
    assert instance.allowed_slots(3) == [3]  # afternoon, and participant 2 cannot use slot 4


def test_a_wrong_meeting_count_is_an_error():
    with pytest.raises(ValueError, match="nMeetings says 5"):
        read_dzn(TINY.replace("nMeetings = 4", "nMeetings = 5"), "bad")


def test_a_meeting_row_without_its_session_is_an_error_when_read():
    # It used to be read as a two-number meeting, which failed only inside the solvers.
    with pytest.raises(
        ValueError, match=r"short: a requested meeting needs two participants and a session: '1, 4"
    ):
        read_dzn(TINY.replace("|1, 4,1,", "|1, 4"), "short")


def test_the_checker_names_each_broken_rule():
    instance = read_dzn(TINY, "tiny")
    bad = {
        0: 1,
        1: 1,
        2: 3,
        3: 3,
    }  # p1 twice in slot 1; meeting 3 in the afternoon; 4 not after 1? ok
    found = " | ".join(check_b2b(instance, bad, d=0))
    assert "participant 1 has meetings 1 and 2 in slot 1" in found
    assert "meeting 3 in slot 3" in found
    assert "not every meeting" in " ".join(check_b2b(instance, {0: 1}, d=2))


def brute_force(instance, d):
    best = None
    options = [instance.allowed_slots(m) for m in range(len(instance.meetings))]
    for choice in itertools.product(*options):
        assignment = dict(enumerate(choice))
        if not check_b2b(instance, assignment, d):
            total = sum(breaks_of(instance, assignment).values())
            best = total if best is None else min(best, total)
    return best


@pytest.mark.parametrize("d", [0, 1, 2])
def test_cp_sat_proves_the_true_optimum_of_a_tiny_instance(d):
    instance = read_dzn(TINY, "tiny")
    result = solve_b2b_cpsat(instance, d, time_limit=10)
    expected = brute_force(instance, d)
    if expected is None:
        assert result.infeasible
    else:
        assert result.optimal and result.breaks == expected
        assert check_b2b(instance, result.assignment, d) == []


REAL = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "benchmarks"
    / "b2bsp"
    / "instances"
    / "tic-12.original.dzn"
)


@pytest.mark.skipif(not REAL.is_file(), reason="benchmark data (../shared) not present")
def test_a_real_instance_reaches_its_published_optimum():
    instance = read_dzn(REAL.read_text(encoding="utf-8"), REAL.name)
    assert (instance.participants, len(instance.meetings), instance.slots, instance.tables) == (
        42,
        125,
        8,
        21,
    )
    result = solve_b2b_cpsat(instance, 2, time_limit=30)
    assert result.breaks == 0 and check_b2b(instance, result.assignment, 2) == []


@pytest.mark.parametrize("slot_busy", [True, False])
@pytest.mark.parametrize("d", [0, 1, 2])
def test_maxsat_proves_the_true_optimum_of_a_tiny_instance(d, slot_busy):
    from superconnector.engine.scheduling.b2bsp import min_breaks_forced_zero, solve_b2b_maxsat

    instance = read_dzn(TINY, "tiny")
    assert min_breaks_forced_zero(instance)  # participant 4 has a single meeting
    result = solve_b2b_maxsat(instance, d, slot_busy=slot_busy)
    expected = brute_force(instance, d)
    if expected is None:
        assert result.infeasible
    else:
        assert result.optimal and result.breaks == expected
        assert sum(breaks_of(instance, result.assignment).values()) == expected
        assert check_b2b(instance, result.assignment, d) == []


def test_maxsat_refuses_instances_where_its_fairness_encoding_is_not_exact():
    from superconnector.engine.scheduling.b2bsp import solve_b2b_maxsat

    busy = TINY.replace("|1, 4,1,", "|2, 4,1,").replace("|2, 3,2,", "|4, 3,2,")  # everyone has 2
    instance = read_dzn(busy, "busy")
    with pytest.raises(ValueError, match="general encoding"):
        solve_b2b_maxsat(instance, 2)


@pytest.mark.skipif(not REAL.is_file(), reason="benchmark data (../shared) not present")
@pytest.mark.parametrize("name", ["forumt-14crafe.original.dzn", "ticf-13crafc.original.dzn"])
def test_the_portfolio_proves_instances_each_encoding_alone_finds_hard(name):
    """forumt-14crafe needs the slot-busy cardinalities, ticf-13crafc is slow with them."""
    from superconnector.engine.scheduling.b2bsp import solve_b2b

    instance = read_dzn((REAL.parent / name).read_text(encoding="utf-8"), name)
    result, technique = solve_b2b(instance, 2, time_limit=50)
    expected = {"forumt-14crafe.original.dzn": 5, "ticf-13crafc.original.dzn": 1}[name]
    assert result.optimal and result.breaks == expected, technique
    assert check_b2b(instance, result.assignment, 2) == []


def test_a_racer_dies_when_terminated_even_if_its_parent_handles_sigterm(monkeypatch):
    """The race's losers are terminated. A task worker handles SIGTERM itself; a racer forked
    from it inherited that handler and, busy in the solver's C code, never ended: the
    suite hung once a worker test had run earlier in the same process."""
    import multiprocessing
    import signal

    from superconnector.engine.scheduling import b2bsp

    started = multiprocessing.Event()

    def endless_solver(*args, **kwargs):
        started.set()
        time.sleep(60)

    monkeypatch.setattr(b2bsp, "solve_b2b_maxsat", endless_solver)
    previous = signal.signal(signal.SIGTERM, lambda *args: None)  # as the task worker does
    try:
        racer = multiprocessing.get_context("fork").Process(
            target=b2bsp._race_worker, args=(0, None, 2, {}, multiprocessing.Queue())
        )
        racer.start()
        assert started.wait(10)
        racer.terminate()
        racer.join(5)
        assert racer.exitcode == -signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)
        if racer.is_alive():
            racer.kill()
