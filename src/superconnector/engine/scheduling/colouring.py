"""Giving chosen meetings their slots: edge colouring with Kempe-chain recolouring.

Once a b-matching has chosen which meetings to hold (`bounds.select_meetings`), what
remains is to give each a slot so that nobody is in two at once: colouring the edges of
the people graph with slots. A meeting whose two people share no free slot is placed by
swapping two slots along an alternating chain of meetings (a Kempe chain, as in the proof
of Vizing's theorem): the other person's α meeting moves to β, the β meeting of the person
it meets there moves to α, and so on until the chain ends; the meeting then takes α.
Every move keeps each person's availability and each slot's tables.

Works on events whose slots do not overlap in time (the usual case; overlapping sessions
keep the greedy and CP-SAT path). Never loses a placed meeting.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from superconnector.engine.scheduling.cpsat import assign_tables
from superconnector.engine.scheduling.greedy import _adjacent_slots
from superconnector.engine.scheduling.problem import Problem, Request, Schedule

# Alternating chains tried per meeting before giving up on it (bounds the time per meeting).
MAX_CHAINS = 60


def slots_overlap(problem: Problem) -> bool:
    return any(len(clash) > 1 for clash in problem.clashing.values())


class _Colouring:
    """Who meets whom in which slot, with the moves that keep it valid."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.slot_of: dict[str, int] = {}
        self.holder: dict[tuple[str, int], str] = {}  # (person, slot) -> request id
        self.regular: dict[int, int] = defaultdict(int)
        self.capacity = {s.id: s.tables for s in problem.slots}
        self.neighbours = _adjacent_slots(problem)
        for request_id, placement in problem.locked.items():
            self.put(problem.request_by_id[request_id], placement.slot)

    def at_booth(self, request: Request) -> bool:
        return any(p in self.problem.fixed_table for p in request.people)

    def put(self, request: Request, slot: int) -> None:
        self.slot_of[request.id] = slot
        for person in request.people:
            self.holder[(person, slot)] = request.id
        if not self.at_booth(request):
            self.regular[slot] += 1

    def lift(self, request: Request) -> int:
        slot = self.slot_of.pop(request.id)
        for person in request.people:
            del self.holder[(person, slot)]
        if not self.at_booth(request):
            self.regular[slot] -= 1
        return slot

    def free(self, person: str, slot: int) -> bool:
        return (person, slot) not in self.holder and self.problem.can_attend(person, slot)

    def room(self, request: Request, slot: int, extra: int = 0) -> bool:
        return self.at_booth(request) or self.regular[slot] + extra < self.capacity[slot]

    def place(self, request: Request) -> bool:
        """Into a slot both people have free; else by swapping two slots along a chain."""
        options = self.problem.feasible_slots[request.id]
        direct = [
            s
            for s in options
            if self.free(request.a, s) and self.free(request.b, s) and self.room(request, s)
        ]
        if direct:
            self.put(request, max(direct, key=lambda s: self._compactness(request, s)))
            return True
        tried = 0
        for start, other in ((request.b, request.a), (request.a, request.b)):
            for alpha in options:
                if not self.free(other, alpha) or not self.room(request, alpha):
                    continue
                for beta in options:
                    if beta == alpha or not self.free(start, beta):
                        continue
                    tried += 1
                    if self._swap_chain(start, other, alpha, beta, request):
                        self.put(request, alpha)
                        return True
                    if tried >= MAX_CHAINS:
                        return False
        return False

    def _compactness(self, request: Request, slot: int) -> tuple[int, int]:
        adjacent = sum(
            1
            for person in request.people
            for n in self.neighbours[slot]
            if (person, n) in self.holder
        )
        return (adjacent, -slot)

    def _swap_chain(self, start: str, other: str, alpha: int, beta: int, request: Request) -> bool:
        """Free `start` at `alpha` by swapping alpha and beta along its alternating chain."""
        problem = self.problem
        chain: list[Request] = []
        person, colour = start, alpha
        seen: set[str] = set()
        while (person, colour) in self.holder:
            request_id = self.holder[(person, colour)]
            if request_id in problem.locked or request_id in seen:
                return False
            seen.add(request_id)
            moved = problem.request_by_id[request_id]
            target = beta if colour == alpha else alpha
            if not all(problem.can_attend(p, target) for p in moved.people):
                return False
            chain.append(moved)
            person = moved.b if moved.a == person else moved.a
            if person == other:
                return False  # the chain would take `other`'s free alpha
            colour = target
        if not problem.can_attend(start, alpha):
            return False
        # Tables: each moved regular meeting leaves one slot for the other.
        into_alpha = sum(1 for m in chain if self.slot_of[m.id] == beta and not self.at_booth(m))
        into_beta = sum(1 for m in chain if self.slot_of[m.id] == alpha and not self.at_booth(m))
        needed_alpha = 0 if self.at_booth(request) else 1
        if self.regular[alpha] - into_beta + into_alpha + needed_alpha > self.capacity[alpha]:
            return False
        if self.regular[beta] - into_alpha + into_beta > self.capacity[beta]:
            return False
        targets = {m.id: (beta if self.slot_of[m.id] == alpha else alpha) for m in chain}
        for moved in chain:
            self.lift(moved)
        for moved in chain:
            self.put(moved, targets[moved.id])
        return True


def colour_schedule(
    problem: Problem,
    order: Iterable[str],
    *,
    rest: Iterable[str] = (),
    time_limit: float = 30.0,
) -> Schedule:
    """Slots for the requests in `order` (most constrained first), then for any of `rest`
    that still fit; tables assigned at the end (locks, booths and announced tables kept)."""
    deadline = time.perf_counter() + time_limit
    state = _Colouring(problem)
    missed: list[str] = []
    # Re-planning: announced meetings keep their slot first, wherever it is still free.
    for request_id in order:
        previous = problem.previous.get(request_id)
        request = problem.request_by_id[request_id]
        if (
            previous is not None
            and request_id not in problem.locked
            and previous.slot in problem.feasible_slots[request_id]
            and problem.placeable(request)
            and all(state.free(p, previous.slot) for p in request.people)
            and state.room(request, previous.slot)
        ):
            state.put(request, previous.slot)
    for request_id in [*order, *rest]:
        if request_id in state.slot_of or request_id in problem.locked:
            continue
        request = problem.request_by_id[request_id]
        if time.perf_counter() > deadline or not problem.placeable(request):
            missed.append(request_id)
            continue
        if not state.place(request):
            missed.append(request_id)
    chosen = {rid: slot for rid, slot in state.slot_of.items() if rid not in problem.locked}
    schedule = Schedule(placements=assign_tables(problem, chosen), solver="b-matching+kempe")
    for request in problem.requests:
        if request.id not in schedule.placements:
            schedule.unscheduled[request.id] = (
                "the two people share no free slot"
                if not problem.feasible_slots[request.id]
                else "no room in the schedule for it"
            )
    return schedule
