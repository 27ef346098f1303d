"""The B2B meeting-scheduling benchmark of Bofill et al. (JAIR 2022), as a mode of the engine.

Every meeting must be placed; minimise the total number of breaks (a break is a maximal
run of idle slots between two meetings of a participant: busy blocks minus one), with
fairness |breaks(p) - breaks(q)| <= d over all participants; meetings restricted to the
morning or the afternoon, forbidden slots, fixed slots and precedences. Instances are
MiniZinc .dzn files (../shared/benchmarks/b2bsp/README.md documents the format).
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue as queues
import re
import signal
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from ortools.sat.python import cp_model

from superconnector.engine.scheduling.cpsat import add_block_starts


@dataclass
class B2BInstance:
    name: str
    participants: int
    tables: int
    slots: int
    morning_slots: int
    meetings: list[
        tuple[int, int, int]
    ]  # (participant, participant, 1 morning / 2 afternoon / 3 any)
    forbidden: dict[int, set[int]] = field(default_factory=dict)  # participant -> slots (1-based)
    fixed: dict[int, int] = field(default_factory=dict)  # meeting (0-based) -> slot (1-based)
    precedences: dict[int, set[int]] = field(default_factory=dict)  # meeting -> meetings before it

    def allowed_slots(self, meeting: int) -> list[int]:
        a, b, session = self.meetings[meeting]
        if meeting in self.fixed:
            candidates = [self.fixed[meeting]]
        elif session == 1:
            candidates = list(range(1, self.morning_slots + 1))
        elif session == 2:
            candidates = list(range(self.morning_slots + 1, self.slots + 1))
        else:
            candidates = list(range(1, self.slots + 1))
        blocked = self.forbidden.get(a, set()) | self.forbidden.get(b, set())
        return [t for t in candidates if t not in blocked]


RC2_OPTIONS = {"solver": "g4"}

_STATEMENT = re.compile(r"(\w+)\s*=\s*(.*?);", re.S)


def read_dzn(text: str, name: str = "") -> B2BInstance:
    """Parse a B2BSP .dzn instance (comments, line breaks and trailing commas allowed)."""
    text = re.sub(r"%.*", "", text)
    values = {key: value.strip() for key, value in _STATEMENT.findall(text)}

    def integer(key: str) -> int:
        return int(values[key])

    def int_list(key: str) -> list[int]:
        return [int(v) for v in re.findall(r"-?\d+", values.get(key, "[]"))]

    def set_list(key: str) -> list[set[int]]:
        return [
            {int(v) for v in re.findall(r"-?\d+", group)}
            for group in re.findall(r"\{([^}]*)\}", values.get(key, "[]"))
        ]

    rows = [row for row in values["requested"].strip("[]").split("|") if re.search(r"\d", row)]
    meetings = [_meeting(row, name) for row in rows]
    instance = B2BInstance(
        name=name,
        participants=integer("nBusiness"),
        tables=integer("nTables"),
        slots=integer("nTotalSlots"),
        morning_slots=integer("nMorningSlots"),
        meetings=meetings,
    )
    if len(meetings) != integer("nMeetings"):
        raise ValueError(
            f"{name}: {len(meetings)} meetings read, nMeetings says {integer('nMeetings')}"
        )
    for participant, slots in enumerate(set_list("forbidden"), start=1):
        slots.discard(0)  # {0} is the format's "none"
        if slots:
            instance.forbidden[participant] = slots
    for meeting, slot in enumerate(int_list("fixed")):
        if slot:
            instance.fixed[meeting] = slot
    for meeting, before in enumerate(set_list("precedences")):
        if before:
            instance.precedences[meeting] = {m - 1 for m in before}
    return instance


def _meeting(row: str, name: str) -> tuple[int, int, int]:
    """(participant, participant, session) from one row of `requested`."""
    numbers = [int(v) for v in re.findall(r"\d+", row)]
    if len(numbers) < 3:
        raise ValueError(
            f"{name}: a requested meeting needs two participants and a session: {row!r}"
        )
    return numbers[0], numbers[1], numbers[2]


def breaks_of(instance: B2BInstance, assignment: dict[int, int]) -> dict[int, int]:
    """Breaks of every participant (busy blocks minus one; 0 without meetings)."""
    busy: dict[int, set[int]] = defaultdict(set)
    for meeting, slot in assignment.items():
        a, b, _session = instance.meetings[meeting]
        busy[a].add(slot)
        busy[b].add(slot)
    result = {}
    for participant in range(1, instance.participants + 1):
        slots = sorted(busy.get(participant, ()))
        result[participant] = sum(1 for x, y in itertools.pairwise(slots) if y - x > 1)
    return result


def check_b2b(instance: B2BInstance, assignment: dict[int, int], d: int) -> list[str]:
    """Every violated B2BSP rule of a complete assignment meeting -> slot."""
    problems = []
    if set(assignment) != set(range(len(instance.meetings))):
        problems.append("not every meeting is placed")
    per_slot: dict[int, int] = defaultdict(int)
    seen: dict[tuple[int, int], int] = {}
    for meeting, slot in assignment.items():
        if slot not in instance.allowed_slots(meeting):
            problems.append(f"meeting {meeting + 1} in slot {slot}, which it may not use")
        per_slot[slot] += 1
        for person in instance.meetings[meeting][:2]:
            if (person, slot) in seen:
                problems.append(
                    f"participant {person} has meetings {seen[(person, slot)] + 1} and {meeting + 1} in slot {slot}"
                )
            seen[(person, slot)] = meeting
        for before in instance.precedences.get(meeting, ()):
            if assignment.get(before, 0) >= slot:
                problems.append(f"meeting {before + 1} must come before meeting {meeting + 1}")
    problems += [
        f"slot {t} has {n} meetings for {instance.tables} tables"
        for t, n in per_slot.items()
        if n > instance.tables
    ]
    breaks = breaks_of(instance, assignment)
    if breaks and max(breaks.values()) - min(breaks.values()) > d:
        problems.append(
            f"fairness: breaks range {min(breaks.values())}..{max(breaks.values())} exceeds d = {d}"
        )
    return problems


@dataclass
class B2BResult:
    assignment: dict[int, int]
    breaks: int | None  # None when no solution was found
    optimal: bool
    infeasible: bool
    seconds: float


def solve_b2b_cpsat(
    instance: B2BInstance, d: int = 2, *, time_limit: float = 60.0, workers: int = 2, seed: int = 0
) -> B2BResult:
    """Minimise total breaks with CP-SAT (booleans x[meeting, slot] and break counters)."""
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for meeting in range(len(instance.meetings)):
        options = instance.allowed_slots(meeting)
        for slot in options:
            x[(meeting, slot)] = model.new_bool_var("")
        model.add_exactly_one([x[(meeting, slot)] for slot in options])
    by_person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for (meeting, slot), var in x.items():
        a, b, _session = instance.meetings[meeting]
        by_person_slot[(a, slot)].append(var)
        by_person_slot[(b, slot)].append(var)
        by_slot[slot].append(var)
    for vars_ in by_person_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for vars_ in by_slot.values():
        if len(vars_) > instance.tables:
            model.add(sum(vars_) <= instance.tables)
    position: dict[int, cp_model.LinearExprT] = {}
    for meeting in range(len(instance.meetings)):
        position[meeting] = sum(
            slot * x[(meeting, slot)] for slot in instance.allowed_slots(meeting)
        )
    for meeting, before in instance.precedences.items():
        for other in before:
            model.add(position[other] + 1 <= position[meeting])
    breaks: list[cp_model.IntVar | int] = []
    for person in range(1, instance.participants + 1):
        busy = [sum(by_person_slot.get((person, t), [])) for t in range(1, instance.slots + 1)]
        if not any(by_person_slot.get((person, t)) for t in range(1, instance.slots + 1)):
            breaks.append(0)
            continue
        starts = add_block_starts(model, busy)  # exact: fairness cannot inflate counts
        count = model.new_int_var(0, instance.slots, "")
        model.add(count == sum(starts) - 1)  # every meeting is placed: at least one block
        breaks.append(count)
    high, low = model.new_int_var(0, instance.slots, ""), model.new_int_var(0, instance.slots, "")
    for value in breaks:
        model.add(high >= value)
        model.add(low <= value)
    model.add(high - low <= d)
    model.minimize(sum(breaks))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = {m: s for (m, s), var in x.items() if solver.value(var)}
        return B2BResult(
            assignment, int(solver.objective_value), status == cp_model.OPTIMAL, False, seconds
        )
    return B2BResult({}, None, False, status == cp_model.INFEASIBLE, seconds)


def min_breaks_forced_zero(instance: B2BInstance) -> bool:
    """Someone with at most one meeting has 0 breaks in every schedule, so fairness with
    bound d means: nobody has more than d breaks."""
    count: dict[int, int] = defaultdict(int)
    for a, b, _session in instance.meetings:
        count[a] += 1
        count[b] += 1
    return any(count.get(p, 0) <= 1 for p in range(1, instance.participants + 1))


def solve_b2b_maxsat(
    instance: B2BInstance,
    d: int = 2,
    *,
    implied: bool = True,
    slot_busy: bool = True,
    rc2: dict[str, Any] | None = None,
) -> B2BResult:
    """Minimise total breaks as weighted MaxSAT with RC2 (python-sat).

    Hard: one slot per meeting, one meeting per person and slot, tables per slot
    (cardinality), precedences, break ends exact (busy now, idle just before, busy some
    time before), at most d breaks per person (fairness, exact when some person's breaks
    are forced to 0), and each person busy in exactly as many slots as their meetings.
    Soft: every break end costs 1, so the cost is the number of breaks. (Costing block
    starts instead made RC2 first find a trivial core per person: 20 times slower.)
    No time limit inside: callers run it in a process they can stop.
    """
    from pysat.card import CardEnc, EncType  # noqa: PLC0415 (python-sat loads only when this solver runs)
    from pysat.examples.rc2 import RC2  # noqa: PLC0415 (python-sat loads only when this solver runs)
    from pysat.formula import WCNF, IDPool  # noqa: PLC0415 (python-sat loads only when this solver runs)

    if not min_breaks_forced_zero(instance):
        raise ValueError("fairness needs the general encoding: nobody is forced to 0 breaks")
    started = time.perf_counter()
    pool, wcnf = IDPool(), WCNF()

    def add_card(literals: list[int], bound: int) -> None:
        if len(literals) > bound:
            encoded = CardEnc.atmost(literals, bound=bound, vpool=pool, encoding=EncType.seqcounter)
            wcnf.extend(encoded.clauses)

    x: dict[tuple[int, int], int] = {}
    for meeting in range(len(instance.meetings)):
        options = instance.allowed_slots(meeting)
        if not options:
            return B2BResult({}, None, False, True, time.perf_counter() - started)
        literals = [pool.id(("x", meeting, t)) for t in options]
        x.update({(meeting, t): lit for t, lit in zip(options, literals, strict=True)})
        wcnf.append(literals)
        add_card(literals, 1)
    person_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    slot_literals: dict[int, list[int]] = defaultdict(list)
    for (meeting, t), lit in x.items():
        a, b, _session = instance.meetings[meeting]
        person_slot[(a, t)].append(lit)
        person_slot[(b, t)].append(lit)
        slot_literals[t].append(lit)
    for literals in person_slot.values():
        add_card(literals, 1)
    for literals in slot_literals.values():
        add_card(literals, instance.tables)
    for meeting, before in instance.precedences.items():
        for other in before:
            for t in instance.allowed_slots(meeting):
                for u in instance.allowed_slots(other):
                    if u >= t:
                        wcnf.append([-x[(meeting, t)], -x[(other, u)]])
    busy_by_slot: dict[int, list[int]] = defaultdict(list)
    for person in range(1, instance.participants + 1):
        if not any(person_slot.get((person, t)) for t in range(1, instance.slots + 1)):
            continue
        breaks: list[int] = []
        busy_slots: list[int] = []
        previous: int | None = None  # busy in the slot before
        seen: int | None = None  # busy in the slot before or earlier; set with `previous`
        for t in range(1, instance.slots + 1):
            busy = pool.id(("busy", person, t))
            literals = person_slot.get((person, t), [])
            for lit in literals:
                wcnf.append([-lit, busy])
            wcnf.append([-busy, *literals])
            busy_slots.append(busy)
            if previous is not None and seen is not None:
                # A break ends at t: busy now, idle just before, busy at some time before.
                end = pool.id(("break", person, t))
                wcnf.extend([[-end, busy], [-end, -previous], [-end, seen]])
                wcnf.append([-busy, previous, -seen, end])
                wcnf.append([-end], weight=1)
                breaks.append(end)
            # seen: busy in this slot or any earlier one.
            now_seen = pool.id(("seen", person, t))
            wcnf.append([-busy, now_seen])
            if seen is None:
                wcnf.append([-now_seen, busy])
            else:
                wcnf.extend([[-seen, now_seen], [-now_seen, seen, busy]])
            previous, seen = busy, now_seen
        add_card(breaks, d)
        if implied:
            # Implied: a person is busy in exactly as many slots as they have meetings.
            meetings = sum(1 for a, b, _s in instance.meetings if person in (a, b))
            encoded = CardEnc.equals(
                busy_slots, bound=meetings, vpool=pool, encoding=EncType.seqcounter
            )
            wcnf.extend(encoded.clauses)
        for t, busy in enumerate(busy_slots, start=1):
            busy_by_slot[t].append(busy)
    if implied and slot_busy:
        # Implied: a slot's tables seat at most twice as many busy people. It lets the
        # solver reason about tables in terms of who is idle when, which is what breaks are.
        for literals in busy_by_slot.values():
            add_card(literals, 2 * instance.tables)
    with RC2(wcnf, **(rc2 or RC2_OPTIONS)) as solver:
        model = solver.compute()
        seconds = time.perf_counter() - started
        if model is None:
            return B2BResult({}, None, False, True, seconds)
        true = {lit for lit in model if lit > 0}
        assignment = {meeting: t for (meeting, t), lit in x.items() if lit in true}
        return B2BResult(assignment, solver.cost, True, False, seconds)


# Two encodings that win on different instances (measured on the 20 originals: the
# slot-busy cardinalities take forumt-14crafe from a time-out to 1 s, but forum-13crafc
# from 1 s to a time-out), raced one per core.
PORTFOLIO = ({"slot_busy": True}, {"slot_busy": False})


def _race_worker(
    index: int,
    instance: B2BInstance,
    d: int,
    options: dict[str, Any],
    queue: Queue[tuple[int, B2BResult]],
) -> None:
    # A forked racer inherits its parent's signal handlers. When the parent handles SIGTERM
    # in Python (a task worker does, to finish its task first), the racer would too, and a
    # Python handler never runs while the SAT solver is inside its C loop: terminate() at
    # the end of the race would then wait for ever. A racer has nothing to clean up.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    queue.put((index, solve_b2b_maxsat(instance, d, **options)))


def solve_b2b(
    instance: B2BInstance, d: int = 2, *, time_limit: float = 60.0
) -> tuple[B2BResult, str]:
    """(result, technique): the MaxSAT portfolio raced in child processes until the first
    proof or the time limit; CP-SAT where the MaxSAT fairness encoding does not apply."""

    if not min_breaks_forced_zero(instance):
        return solve_b2b_cpsat(instance, d, time_limit=time_limit), "cp-sat"
    started = time.perf_counter()
    results: Queue[tuple[int, B2BResult]] = multiprocessing.Queue()
    racers = [
        multiprocessing.Process(target=_race_worker, args=(n, instance, d, options, results))
        for n, options in enumerate(PORTFOLIO)
    ]
    for racer in racers:
        racer.start()
    try:
        index, result = results.get(timeout=time_limit)
        technique = f"maxsat[{index}]"
    except queues.Empty:
        result, technique = B2BResult({}, None, False, False, 0.0), "maxsat"
    finally:
        for racer in racers:
            racer.terminate()
            racer.join()
    result.seconds = time.perf_counter() - started
    return result, technique
