"""The per-person change list names slot moves and table-only moves apart."""

from superconnector.engine.scheduling import Placement, Problem, Request, Schedule, Slot
from superconnector.engine.scheduling.solution import change_kind, changes_by_person, count_changes


def _problem() -> Problem:
    slots = [Slot(1, 0, 20, 3), Slot(2, 20, 40, 3)]
    requests = [Request("r1", "a", "b"), Request("r2", "c", "d"), Request("r3", "e", "f")]
    requests.append(Request("r4", "g", "h"))
    return Problem(slots, requests)


def test_a_table_only_move_is_named_table_and_a_slot_move_moved() -> None:
    problem = _problem()
    previous = {
        "r1": Placement(1, "T1"),
        "r2": Placement(1, "T2"),
        "r3": Placement(2, "T1"),
    }
    schedule = Schedule(
        {
            "r1": Placement(1, "T3"),  # same slot, another table
            "r2": Placement(2, "T2"),  # another slot, same table number
            "r4": Placement(2, "T3"),  # new
        }
    )
    changes = changes_by_person(problem, previous, schedule)
    kinds = {person: [c.kind for c in items] for person, items in changes.items()}
    assert kinds == {
        "a": ["table"],
        "b": ["table"],
        "c": ["moved"],
        "d": ["moved"],
        "e": ["removed"],
        "f": ["removed"],
        "g": ["added"],
        "h": ["added"],
    }
    table_move = changes["a"][0]
    assert not table_move.slot_changed and table_move.table_changed
    assert table_move.counterpart == "b"
    slot_move = changes["c"][0]
    assert slot_move.slot_changed and not slot_move.table_changed


def test_counts_are_per_meeting_with_the_net_gain() -> None:
    previous = {"r1": Placement(1, "T1"), "r2": Placement(1, "T2"), "r3": Placement(2, "T1")}
    schedule = Schedule(
        {"r1": Placement(1, "T1"), "r2": Placement(1, "T3"), "r3": Placement(1, "T2")}
    )
    schedule.placements["r4"] = Placement(2, "T1")
    counts = count_changes(previous, schedule)
    assert counts == {"added": 1, "removed": 0, "moved": 1, "table": 1, "gained": 1}


def test_change_kind_of_each_case() -> None:
    assert change_kind(None, Placement(1, "T1")) == "added"
    assert change_kind(Placement(1, "T1"), None) == "removed"
    assert change_kind(Placement(1, "T1"), Placement(2, "T1")) == "moved"
    assert change_kind(Placement(1, "T1"), Placement(2, "T4")) == "moved"
    assert change_kind(Placement(1, "T1"), Placement(1, "T4")) == "table"
