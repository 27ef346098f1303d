"""The scheduling problem as plain data: slots with tables, requests, who is free when."""

from __future__ import annotations

import functools
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

    def __post_init__(self) -> None:
        self.slot_by_id = {slot.id: slot for slot in self.slots}
        self.request_by_id = {request.id: request for request in self.requests}
        self.people = sorted({p for r in self.requests for p in r.people})

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
