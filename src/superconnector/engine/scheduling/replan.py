"""Re-planning a published schedule: what people were told stays unless moving it pays.

Planning afresh after one more no-show reshuffled about a quarter of the surviving
meetings for no gain (issue 15): the selection and the colouring do not value keeping an
announced meeting where it is. Here the order is, lexicographically:

1. locked meetings never move;
2. the worth of a schedule is `rate * meetings - moves - removals`, counted over the
   announced meetings that could still be held where they were announced; a move is a
   change of slot or of table, so a table-only move costs as much as a slot move. An
   announced meeting is thus never removed for another of equal worth (1 for 1 loses
   one), and moves are taken only at `rate` or fewer per meeting gained;
3. then more meetings (a gain at exactly the rate is taken), fewest slot moves, fewest
   table moves; then fairness through the order in which free places are filled; then
   idle gaps, reduced by moving only meetings nobody has been told about.

The search: keep every announced meeting that is still possible (the zero-move schedule,
whose size is reported so the organiser sees what stability costs), fill the free places
with the other requests without moving any of them, then look for moves that pay: single
augmenting moves (a waiting request takes a slot after at most three meetings step aside),
each accepted only if it pays on its own, and, where the problem is small enough, CP-SAT
with the worth above as its objective, warm-started from that.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from superconnector.engine.scheduling.compact import compact_schedule
from superconnector.engine.scheduling.cpsat import (
    _blocked_points,
    _booth_of,
    _covers,
    add_no_double_booking,
    add_table_limits,
    assign_tables,
    solve_cpsat,
    solve_hinted,
)
from superconnector.engine.scheduling.greedy import greedy_schedule, repair_schedule
from superconnector.engine.scheduling.problem import Placement, Problem, Schedule
from superconnector.engine.scheduling.solution import check_schedule, idle_gaps

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

# At most this many moved announced meetings per meeting gained (issue 15's default).
DEFAULT_EXCHANGE_RATE = 2.0
# Beyond this many (request, slot) variables the CP-SAT move model is not built (as in solve).
EXACT_LIMIT = 400_000
# Meetings tried as the one to leave a full slot's table, per slot tried.
TABLE_EVICTIONS = 4


def is_replanning(problem: Problem) -> bool:
    """True once something has been announced: a placement of a request still planned."""
    return any(rid in problem.request_by_id for rid in problem.previous)


@dataclass(frozen=True)
class Stability:
    """A schedule against the announced placements (locked meetings apart)."""

    kept: int  # announced meetings at their announced slot and table
    slot_moves: int  # announced meetings still possible where they were, now in another slot
    table_moves: int  # ... in the same slot at another table
    removed: int  # ... no longer held
    forced: int  # announced meetings that could not stay (an absentee's, a slot or table gone)

    @property
    def moves(self) -> int:
        return self.slot_moves + self.table_moves


def keep_announced(problem: Problem) -> dict[str, Placement]:
    """The announced meetings (not locked) that can still be held exactly where announced:
    both people still free there, the slot open and its table still there. Together with
    the locks, they form the zero-move schedule."""
    board = _Board(problem, dict(problem.locked), {})
    kept: dict[str, Placement] = {}
    for request_id, placement in sorted(problem.previous.items()):
        request = problem.request_by_id.get(request_id)
        if (
            request is None
            or request_id in problem.locked
            or placement.slot not in problem.slot_by_id
            or placement.slot not in problem.feasible_slots[request_id]
            or not problem.placeable(request)
            or not all(board.free(p, placement.slot) for p in request.people)
        ):
            continue
        booth = _booth_of(problem, request_id)
        if booth is not None:
            fits = placement.table == booth and booth not in board.taken[placement.slot]
        else:
            fits = (
                placement.table in problem.table_labels(placement.slot)
                and placement.table not in board.taken[placement.slot]
                and board.regular[placement.slot] < problem.slot_by_id[placement.slot].tables
            )
        if fits:
            board.add(request_id, placement)
            kept[request_id] = placement
    return kept


def measure_stability(
    problem: Problem, schedule: Schedule, announced: dict[str, Placement] | None = None
) -> Stability:
    """Moves and removals of the announced meetings that could have stayed (`announced`,
    by default `keep_announced(problem)`); the rest are `forced`."""
    announced = keep_announced(problem) if announced is None else announced
    slot_moves = table_moves = removed = kept = 0
    for request_id, before in announced.items():
        after = schedule.placements.get(request_id)
        if after is None:
            removed += 1
        elif after.slot != before.slot:
            slot_moves += 1
        elif after.table != before.table:
            table_moves += 1
        else:
            kept += 1
    forced = sum(
        1
        for rid in problem.previous
        if rid not in announced and rid not in problem.locked and rid in problem.request_by_id
    )
    return Stability(kept, slot_moves, table_moves, removed, forced)


def replan(
    problem: Problem,
    *,
    bound: int,
    time_limit: float = 60.0,
    seed: int = 0,
    exchange_rate: float = DEFAULT_EXCHANGE_RATE,
) -> Schedule:
    """The re-planned schedule (see the module's order); `zero_move_meetings` set on it."""
    if exchange_rate < 0:
        raise ValueError(
            f"the exchange rate must be 0 or more moves per meeting, not {exchange_rate}"
        )
    started = time.perf_counter()

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    announced = keep_announced(problem)
    zero = _zero_move_schedule(problem, announced, time_limit=max(remaining() / 3, 1.0), seed=seed)
    zero_count = len(zero.placements)
    best = zero
    if len(best.placements) < bound:
        best = _pay_moves(
            problem, announced, zero, exchange_rate, time_limit=max(remaining() / 3, 0.5)
        )
    size = sum(len(slots) for slots in problem.feasible_slots.values())
    proven = False
    if len(best.placements) < bound and size <= EXACT_LIMIT and remaining() > 1:
        exact = _improve_exactly(
            problem,
            announced,
            best,
            exchange_rate,
            # the rest is for the gaps of new meetings, which take well under a second
            time_limit=max(remaining() - 1.0, 0.5),
            seed=seed,
        )
        if exact is not None:
            rate = Fraction(exchange_rate).limit_denominator(20)
            if _rank(problem, announced, exact, rate) >= _rank(problem, announced, best, rate):
                best = exact
                proven = exact.optimal
    moves = measure_stability(problem, best, announced).moves
    best.optimal = proven or (len(best.placements) >= bound and moves == 0)
    if remaining() > 0.5 and idle_gaps(problem, best) > 0:
        best = _compact_new_meetings(problem, best, time_limit=remaining())
    best.unscheduled = {
        r.id: (
            "the two people share no free slot"
            if not problem.feasible_slots[r.id]
            else "no room in the schedule for it"
        )
        for r in problem.requests
        if r.id not in best.placements
    }
    best.zero_move_meetings = zero_count
    return best


def _with_locks(problem: Problem, locked: dict[str, Placement]) -> Problem:
    """The same problem with more meetings locked (its closed slots already taken out)."""
    derived = Problem(
        problem.slots,
        problem.requests,
        availability=problem.availability,
        locked=locked,
        fixed_table=problem.fixed_table,
        previous=problem.previous,
    )
    # The cached views depend on slots and availability only: share them, not recompute.
    derived.__dict__["feasible_slots"] = problem.feasible_slots
    derived.__dict__["clashing"] = problem.clashing
    return derived


def _zero_move_schedule(
    problem: Problem, announced: dict[str, Placement], *, time_limit: float, seed: int
) -> Schedule:
    """Every announced meeting that can stay, stays; the most other requests fill the free
    places around them (greedy, augmenting moves among the new ones, then CP-SAT where
    small), none of the announced ones moving."""
    started = time.perf_counter()
    fixed = _with_locks(problem, {**problem.locked, **announced})
    best = greedy_schedule(fixed)
    if best.unscheduled:
        best = repair_schedule(fixed, best, time_limit=time_limit / 3)
    size = sum(len(problem.feasible_slots[r.id]) for r in problem.requests if r.id not in announced)
    left = time_limit - (time.perf_counter() - started)
    if best.unscheduled and size <= EXACT_LIMIT and left > 0.5:
        exact = solve_cpsat(fixed, time_limit=left, warm_start=best, seed=seed)
        if len(exact.placements) > len(best.placements) and not check_schedule(fixed, exact):
            best = exact
    best.solver = f"replan({best.solver})"
    return best


def _rank(
    problem: Problem, announced: dict[str, Placement], schedule: Schedule, rate: Fraction
) -> tuple[Fraction, int, int, int]:
    """Larger is better: worth, meetings, then fewest slot moves, fewest table moves."""
    stability = measure_stability(problem, schedule, announced)
    meetings = len(schedule.placements)
    worth = rate * meetings - stability.moves - stability.removed
    return worth, meetings, -stability.slot_moves, -stability.table_moves


class _Board:
    """Placements with who is busy when and which tables are taken, for cheap trial moves."""

    def __init__(
        self, problem: Problem, placements: dict[str, Placement], announced: dict[str, Placement]
    ) -> None:
        self.problem = problem
        self.announced = announced
        self.placements: dict[str, Placement] = {}
        # (person, slot) -> meetings holding them then (several where sessions overlap)
        self.occupant: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.taken: dict[int, set[str]] = defaultdict(set)
        self.regular: dict[int, int] = defaultdict(int)
        self.in_slot: dict[int, set[str]] = defaultdict(set)
        self.booth = {rid: _booth_of(problem, rid) for rid in problem.request_by_id}
        # Tables announced in each slot: kept free for their meeting to come back to.
        self.reserved: dict[int, set[str]] = defaultdict(set)
        for placement in announced.values():
            self.reserved[placement.slot].add(placement.table)
        for request_id, placement in placements.items():
            self.add(request_id, placement)

    def add(self, request_id: str, placement: Placement) -> None:
        problem = self.problem
        for person in problem.request_by_id[request_id].people:
            for slot in problem.clashing[placement.slot]:
                self.occupant[(person, slot)].add(request_id)
        self.taken[placement.slot].add(placement.table)
        self.in_slot[placement.slot].add(request_id)
        if placement.table != self.booth[request_id]:
            self.regular[placement.slot] += 1
        self.placements[request_id] = placement

    def remove(self, request_id: str) -> Placement:
        problem = self.problem
        placement = self.placements.pop(request_id)
        for person in problem.request_by_id[request_id].people:
            for slot in problem.clashing[placement.slot]:
                self.occupant[(person, slot)].discard(request_id)
        self.taken[placement.slot].discard(placement.table)
        self.in_slot[placement.slot].discard(request_id)
        if placement.table != self.booth[request_id]:
            self.regular[placement.slot] -= 1
        return placement

    def free(self, person: str, slot: int) -> bool:
        return self.problem.can_attend(person, slot) and not self.occupant[(person, slot)]

    def table(self, request_id: str, slot: int) -> str | None:
        """A free table for the meeting in the slot: its booth, its announced table, else
        the lowest label no kept announced meeting may come back to."""
        booth = self.booth[request_id]
        if booth is not None:
            return None if booth in self.taken[slot] else booth
        if self.regular[slot] >= self.problem.slot_by_id[slot].tables:
            return None
        labels = [t for t in self.problem.table_labels(slot) if t not in self.taken[slot]]
        announced = self.announced.get(request_id)
        if announced is not None and announced.slot == slot and announced.table in labels:
            return announced.table
        unreserved = [t for t in labels if t not in self.reserved[slot]]
        return next(iter(unreserved or labels), None)

    def moved(self, request_id: str, placement: Placement | None) -> int:
        """1 if the meeting counts as moved (or removed) at `placement`, else 0."""
        announced = self.announced.get(request_id)
        return 0 if announced is None or announced == placement else 1


def _pay_moves(
    problem: Problem,
    announced: dict[str, Placement],
    start: Schedule,
    rate: float,
    *,
    time_limit: float,
) -> Schedule:
    """Place waiting requests by moving the meetings in their way elsewhere (the meetings
    holding their two people in a slot, and one to free its table if it is full), each
    step taken only if its moves pay: at most `rate` more moved announced meetings for the
    meeting it gains. Nothing is ever removed, so the whole never exceeds the rate."""
    deadline = time.perf_counter() + time_limit
    board = _Board(problem, start.placements, announced)
    degree: dict[str, int] = defaultdict(int)
    for rid in board.placements:
        for person in problem.request_by_id[rid].people:
            degree[person] += 1
    # Fairness first among equals: the request whose people have fewest meetings so far.
    pending = sorted(
        (rid for rid in start.unscheduled if problem.placeable(problem.request_by_id[rid])),
        key=lambda rid: (
            -problem.request_by_id[rid].priority,
            min(degree[p] for p in problem.request_by_id[rid].people),
            len(problem.feasible_slots[rid]),
            rid,
        ),
    )
    waiting: dict[str, set[str]] = defaultdict(set)  # person -> their waiting requests
    for rid in pending:
        for person in problem.request_by_id[rid].people:
            waiting[person].add(rid)

    def done(rid: str) -> None:
        pending.remove(rid)
        for person in problem.request_by_id[rid].people:
            waiting[person].discard(rid)

    improved = True
    while improved and pending and time.perf_counter() < deadline:
        improved = False
        for request_id in list(pending):
            if time.perf_counter() >= deadline:
                break
            if request_id not in pending:
                continue  # placed as the partner of an exchange meanwhile
            if _augment(board, request_id, rate):
                done(request_id)
                improved = True
                continue
            partner = _exchange(board, request_id, rate, waiting)
            if partner is not None:
                done(request_id)
                done(partner)
                improved = True
    return Schedule(placements=dict(board.placements), solver=f"{start.solver}+moves")


def _augment(board: _Board, request_id: str, rate: float) -> bool:
    problem = board.problem
    request = problem.request_by_id[request_id]
    for slot in problem.feasible_slots[request_id]:
        blockers = sorted(set().union(*(board.occupant[(p, slot)] for p in request.people)))
        if len(blockers) > 2 or any(b in problem.locked for b in blockers):
            continue
        least = sum(board.moved(b, None) - board.moved(b, board.placements[b]) for b in blockers)
        if least > rate:  # even coming back home could not pay for this many
            continue
        evictions: list[str | None] = [None]
        if board.booth[request_id] is None:
            # A full slot: one of its meetings (the cheapest to move first) leaves its table.
            freed = sum(
                1 for b in blockers if board.booth[b] is None and board.placements[b].slot == slot
            )
            if board.regular[slot] - freed >= problem.slot_by_id[slot].tables:
                evictions = [*_cheapest_to_move(board, slot, exclude=blockers)]
        for evicted in evictions:
            moving = [*blockers, *([evicted] if evicted is not None else [])]
            if _try_moves(board, request_id, slot, moving, rate):
                return True
    return False


def _exchange(
    board: _Board, request_id: str, rate: float, waiting: dict[str, set[str]]
) -> str | None:
    """Two for one: the meeting holding one of the request's people in a slot gives way,
    and the request and another waiting one of that meeting's other person take its place
    (one meeting gained for one removal, which pays at any rate of 1 or more). Returns
    the other request placed, or None."""
    problem = board.problem
    request = problem.request_by_id[request_id]
    for slot in problem.feasible_slots[request_id]:
        blockers = set().union(*(board.occupant[(p, slot)] for p in request.people))
        if len(blockers) != 1:
            continue
        (blocker,) = blockers
        if blocker in problem.locked or len(problem.clashing[slot]) > 1:
            continue
        cost = board.moved(blocker, None) - board.moved(blocker, board.placements[blocker])
        if cost > rate + 1e-9:
            continue
        others = [p for p in problem.request_by_id[blocker].people if p not in request.people]
        if len(others) != 1:
            continue
        old = board.remove(blocker)
        table = board.table(request_id, slot)
        if table is not None:
            board.add(request_id, Placement(slot, table))
            for partner in sorted(waiting[others[0]]):
                other = problem.request_by_id[partner]
                if partner == request_id or slot not in problem.feasible_slots[partner]:
                    continue
                if not problem.placeable(other) or not all(
                    board.free(p, slot) for p in other.people
                ):
                    continue
                partner_table = board.table(partner, slot)
                if partner_table is not None:
                    board.add(partner, Placement(slot, partner_table))
                    return partner
            board.remove(request_id)
        board.add(blocker, old)
    return None


def _cheapest_to_move(board: _Board, slot: int, *, exclude: list[str]) -> list[str]:
    """A few regular meetings of the slot that could leave its table, new ones first."""
    candidates = sorted(
        (
            rid
            for rid in board.in_slot[slot]
            if rid not in board.problem.locked and rid not in exclude and board.booth[rid] is None
        ),
        key=lambda rid: (board.moved(rid, None) - board.moved(rid, board.placements[rid]), rid),
    )
    return candidates[:TABLE_EVICTIONS]


def _try_moves(board: _Board, request_id: str, slot: int, moving: list[str], rate: float) -> bool:
    """Lift `moving`, put the request into `slot`, put each lifted meeting into the best
    other slot it fits (its announced place first); keep it all if the moves pay."""
    old = {rid: board.remove(rid) for rid in moving}
    table = board.table(request_id, slot)
    placed: list[str] = []
    cost = 0
    if table is not None:
        board.add(request_id, Placement(slot, table))
        placed.append(request_id)
        for rid in moving:
            target = _new_home(board, rid, exclude=old[rid].slot)
            if target is None:
                break
            cost += board.moved(rid, target) - board.moved(rid, old[rid])
            board.add(rid, target)
            placed.append(rid)
        else:
            if cost <= rate + 1e-9:
                return True
    for rid in placed:
        board.remove(rid)
    for rid, placement in old.items():
        board.add(rid, placement)
    return False


def _new_home(board: _Board, request_id: str, *, exclude: int) -> Placement | None:
    """The cheapest other place the meeting fits now: back where announced, else anywhere."""
    problem = board.problem
    request = problem.request_by_id[request_id]
    announced = board.announced.get(request_id)
    options = problem.feasible_slots[request_id]
    if announced is not None:
        options = sorted(options, key=lambda s: s != announced.slot)
    for slot in options:
        if slot == exclude or not all(board.free(p, slot) for p in request.people):
            continue
        table = board.table(request_id, slot)
        if table is not None:
            return Placement(slot, table)
    return None


def _improve_exactly(
    problem: Problem,
    announced: dict[str, Placement],
    start: Schedule,
    exchange_rate: float,
    *,
    time_limit: float,
    seed: int,
) -> Schedule | None:
    """CP-SAT over (request, slot) with the re-planning worth as objective: per held
    meeting `rate`, per announced meeting kept in its slot 1 (its table follows, since
    `assign_tables` keeps it); then more meetings; then fewest slot moves. None if it
    found nothing in time."""
    from ortools.sat.python import cp_model  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    model = cp_model.CpModel()
    blocked = _blocked_points(problem)
    variables: dict[tuple[str, int], cp_model.IntVar] = {}
    for request in problem.requests:
        if request.id in problem.locked or not problem.placeable(request):
            continue
        for slot_id in problem.feasible_slots[request.id]:
            slot = problem.slot_by_id[slot_id]
            if any(_covers(slot, point) for p in request.people for point in blocked[p]):
                continue
            variables[(request.id, slot_id)] = model.new_bool_var("")
    by_request: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (request_id, _slot), var in variables.items():
        by_request[request_id].append(var)
    for vars_ in by_request.values():
        model.add_at_most_one(vars_)
    add_no_double_booking(model, problem, variables)
    add_table_limits(model, problem, variables)
    rate = Fraction(exchange_rate).limit_denominator(20)
    n = len(by_request)
    # Lexicographic by weights: a slot move is worth 1, a meeting more than all slot moves
    # (n + 1), a unit of worth (1 / rate.denominator) more than both together.
    per_meeting = n + 1
    per_worth = n * per_meeting + n + 1
    terms: list[cp_model.LinearExprT] = []
    for (request_id, slot_id), var in variables.items():
        before = announced.get(request_id)
        stays = before is not None and before.slot == slot_id
        worth = rate.numerator + (rate.denominator if stays else 0)
        moves = 1 if before is not None and not stays else 0
        terms.append((per_worth * worth + per_meeting - moves) * var)
    model.maximize(sum(terms))
    status, chosen = solve_hinted(model, variables, start, time_limit, seed)
    if chosen is None:
        return None
    schedule = Schedule(
        placements=assign_tables(problem, chosen),
        solver=f"{start.solver}+cp-sat",
        optimal=status == cp_model.OPTIMAL,
    )
    return None if check_schedule(problem, schedule) else schedule


def _compact_new_meetings(problem: Problem, schedule: Schedule, *, time_limit: float) -> Schedule:
    """Fewer idle gaps by moving only meetings nobody has been told about: every announced
    meeting the schedule holds is locked where it now is."""
    held = {
        rid: placement
        for rid, placement in schedule.placements.items()
        if rid in problem.previous or rid in problem.locked
    }
    fixed = _with_locks(problem, held)
    compact = compact_schedule(fixed, schedule, time_limit=time_limit)
    if check_schedule(problem, compact) or len(compact.placements) != len(schedule.placements):
        return schedule
    compact.zero_move_meetings = schedule.zero_move_meetings
    return compact
