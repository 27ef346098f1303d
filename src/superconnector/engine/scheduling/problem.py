"""The scheduling problem as plain data: slots with tables, requests, who is free when."""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """A meeting slot. `start`/`end` are minutes on any common clock (overlaps matter)."""

    id: int
    start: int
    end: int
    tables: int
    session: str = ""

    def overlaps(self, other: Slot) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Request:
    """An accepted request: a meeting wanted between two people, priority 1-3 (3 = most)."""

    id: str
    a: str
    b: str
    priority: int = 2

    @property
    def people(self) -> tuple[str, str]:
        return (self.a, self.b)


@dataclass(frozen=True)
class Placement:
    slot: int
    table: str


@dataclass
class Schedule:
    placements: dict[str, Placement] = field(default_factory=dict)  # request id -> placement
    unscheduled: dict[str, str] = field(default_factory=dict)  # request id -> reason
    solver: str = ""
    optimal: bool = False
    # Re-planning: the most meetings with no announced meeting moved (what stability costs
    # is this against the bound); None before publication.
    zero_move_meetings: int | None = None


@dataclass
class Problem:
    slots: list[Slot]
    requests: list[Request]
    # Slots each person can attend; a person not listed can attend every slot.
    availability: dict[str, frozenset[int]] = field(default_factory=dict)
    # Announced meetings that must keep their slot and table.
    locked: dict[str, Placement] = field(default_factory=dict)
    # People who host every meeting at their own table (an exhibitor's booth).
    fixed_table: dict[str, str] = field(default_factory=dict)
    # Placements announced before, to keep when re-planning.
    previous: dict[str, Placement] = field(default_factory=dict)
    # Slots that take no new meeting (on the day: those that have begun). Locked meetings
    # in them stay; nobody else can attend them, and they offer no free table.
    closed: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.request_by_id = {request.id: request for request in self.requests}
        self.people = sorted({p for r in self.requests for p in r.people})
        # Who could attend what before closing: tells "no slot left in time" from "no slot".
        self.availability_before_closing = dict(self.availability)
        if self.closed:
            self._close_slots()
        self.slot_by_id = {slot.id: slot for slot in self.slots}

    def _close_slots(self) -> None:
        """Keep a closed slot only for the locked meetings in it, with as many tables as they
        use; take every closed slot out of everyone's availability but theirs."""
        held: dict[int, list[Request]] = defaultdict(list)
        for request_id, placement in self.locked.items():
            request = self.request_by_id.get(request_id)
            if request is not None and placement.slot in self.closed:
                held[placement.slot].append(request)
        kept = []
        for slot in self.slots:
            if slot.id not in self.closed:
                kept.append(slot)
            elif held[slot.id]:
                regular = sum(
                    1
                    for r in held[slot.id]
                    if self.locked[r.id].table not in {self.fixed_table.get(p) for p in r.people}
                )
                kept.append(dataclasses.replace(slot, tables=regular))
        self.slots = kept
        self.availability = dict(self.availability)  # the caller's dict stays as it was
        open_slots = frozenset(s.id for s in kept if s.id not in self.closed)
        held_by: dict[str, set[int]] = defaultdict(set)
        for slot_id, requests in held.items():
            for request in requests:
                held_by[request.a].add(slot_id)
                held_by[request.b].add(slot_id)
        for person in self.people:
            allowed = self.availability.get(person)
            allowed = open_slots if allowed is None else allowed & open_slots
            self.availability[person] = frozenset(allowed | held_by[person])

    def out_of_time(self, request: Request) -> bool:
        """True if the two people could have met only in slots that are now closed."""
        if not self.closed or self.feasible_slots[request.id]:
            return False
        before = self.availability_before_closing
        return any(
            all(before.get(p) is None or slot in before[p] for p in request.people)
            for slot in self.closed
        )

    def placeable(self, request: Request) -> bool:
        """False for two hosts at two booths: they cannot meet at either."""
        return len({self.fixed_table[p] for p in request.people if p in self.fixed_table}) <= 1

    def can_attend(self, person: str, slot: int) -> bool:
        allowed = self.availability.get(person)
        return allowed is None or slot in allowed

    @functools.cached_property
    def feasible_slots(self) -> dict[str, list[int]]:
        """For each request, the slots both people can attend (before any other meeting)."""
        return {
            r.id: [
                s.id
                for s in self.slots
                if self.can_attend(r.a, s.id) and self.can_attend(r.b, s.id)
            ]
            for r in self.requests
        }

    @functools.cached_property
    def clashing(self) -> dict[int, tuple[int, ...]]:
        """For each slot, the slots overlapping it in time (itself included)."""
        return {s.id: tuple(o.id for o in self.slots if s.overlaps(o)) for s in self.slots}

    def table_labels(self, slot: int) -> list[str]:
        """Table labels of a slot: T1..Tn, plus any fixed (booth) tables."""
        return [f"T{n}" for n in range(1, self.slot_by_id[slot].tables + 1)]
