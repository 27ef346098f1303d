"""Scheduling benchmark on generated events: meetings placed against the proven bound.

    python bench/scheduling.py                  # 200, 300, 3,000 and 10,000 participants
    python bench/scheduling.py --sizes 200 --time-limit 30
    python bench/scheduling.py --replan         # re-planning: 200 and 3,000 participants

Prints, per event: accepted requests, scheduled meetings, proven upper bound (and which
bound), ratio, idle gaps, solver, seconds and peak memory (each size in its own process).

The re-planning family (`--replan`) publishes the optimal schedule, then re-plans it after
1, 5 and 20 no-shows (random people with meetings) and after 10 late accepts (new accepted
requests between random people), both with the re-planning objective and with the
behaviour before issue 15 (planning afresh, announced slots preferred where free), in the
same run. Per scenario: the zero-move schedule's meetings, meetings held, meetings gained
over the zero-move schedule, announced meetings removed, slot moves, table-only moves
(the slot kept), moves per meeting gained, and seconds. Meetings of a no-show are not
counted as removed: they cannot stay.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# participants -> generator shape (the issue's: a seminar, an oversubscribed session whose
# people want far more meetings than its 9 slots hold, a fair, a very large fair)
SHAPES = {
    200: {"sessions": 2, "slots_per_session": 9, "tables": 40, "requests_per_participant": 10.6},
    300: {"sessions": 1, "slots_per_session": 9, "tables": 150, "requests_per_participant": 15.7},
    3000: {"sessions": 4, "slots_per_session": 9, "tables": 600, "requests_per_participant": 14.1},
    10000: {
        "sessions": 4,
        "slots_per_session": 10,
        "tables": 2000,
        "requests_per_participant": 12.0,
    },
}


def problem_from_document(document: dict):
    from superconnector.engine.scheduling import Problem, Request, Slot

    slots, by_session = [], {}
    for session in document["meeting_sessions"]:
        day = dt.date.fromisoformat(session["date"]).toordinal() * 24 * 60
        start = day + int(session["start"][:2]) * 60 + int(session["start"][3:])
        end = day + int(session["end"][:2]) * 60 + int(session["end"][3:])
        step = session["slot_minutes"] + session.get("gap_minutes", 0)
        by_session[session["key"]] = []
        t = start
        while t + session["slot_minutes"] <= end:
            slot = Slot(
                len(slots), t, t + session["slot_minutes"], session["tables"], session["key"]
            )
            slots.append(slot)
            by_session[session["key"]].append(slot.id)
            t += step
    requests = [
        Request(r["key"], r["from"], r["to"], r.get("priority", 2))
        for r in document["meeting_requests"]
        if r["status"] == "accepted"
    ]
    availability = {
        row["participant"]: frozenset(s for key in row["sessions"] for s in by_session[key])
        for row in document.get("availability", [])
        if row.get("sessions") is not None
    }
    return Problem(slots, requests, availability=availability)


def run_one(participants: int, time_limit: float, seed: int) -> dict:
    from superconnector.engine.scheduling import check_schedule, idle_gaps
    from superconnector.engine.scheduling.solve import solve
    from superconnector.engine.synthetic import generate_event

    document = generate_event(participants, seed=seed, **SHAPES.get(participants, SHAPES[3000]))
    problem = problem_from_document(document)
    started = time.perf_counter()
    schedule, bound, _seconds = solve(problem, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - started
    assert not check_schedule(problem, schedule), "invalid schedule"
    return {
        "participants": participants,
        "accepted": len(problem.requests),
        "slots": len(problem.slots),
        "scheduled": len(schedule.placements),
        "upper_bound": bound.value,
        "bounds": {
            "requests": bound.requests,
            "tables": bound.tables,
            "b_matching": bound.b_matching,
            "integer": bound.integer,
        },
        "ratio": round(len(schedule.placements) / max(bound.value, 1), 4),
        "idle_gaps": idle_gaps(problem, schedule),
        **fairness(problem, schedule),
        "solver": schedule.solver,
        "optimal": schedule.optimal,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run_in_child(size: int, time_limit: float, seed: int, *, replan: bool = False):
    """One event in its own process, so that peak memory is that event's alone."""
    command = [sys.executable, __file__, "--one", str(size), "--time-limit", str(time_limit)]
    out = subprocess.run(
        [*command, "--seed", str(seed), *(["--replan"] if replan else [])],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def replan_scenarios(problem, published, seed: int) -> list[tuple[str, object]]:
    """(name, problem to re-plan) after the published schedule: 1, 5 and 20 no-shows among
    people with meetings, and 10 late accepts between people not yet paired."""
    import random

    from superconnector.engine.scheduling import Problem, Request

    rng = random.Random(seed)
    with_meetings = sorted(
        {p for rid in published.placements for p in problem.request_by_id[rid].people}
    )
    scenarios = []
    for count in (1, 5, 20):
        absent = rng.sample(with_meetings, count)
        availability = dict(problem.availability)
        for person in absent:
            availability[person] = frozenset()
        scenarios.append(
            (
                f"{count} no-show{'s' if count > 1 else ''}",
                Problem(
                    problem.slots,
                    problem.requests,
                    availability=availability,
                    previous=dict(published.placements),
                ),
            )
        )
    paired = {frozenset(r.people) for r in problem.requests}
    late: list[Request] = []
    while len(late) < 10:
        a, b = rng.sample(problem.people, 2)
        if frozenset((a, b)) not in paired:
            paired.add(frozenset((a, b)))
            late.append(Request(f"late-{len(late)}", a, b))
    scenarios.append(
        (
            "10 late accepts",
            Problem(
                problem.slots,
                [*problem.requests, *late],
                availability=dict(problem.availability),
                previous=dict(published.placements),
            ),
        )
    )
    return scenarios


def run_replan_one(participants: int, time_limit: float, seed: int) -> dict:
    """Publish the optimal schedule, then re-plan each scenario both ways."""
    from superconnector.engine.scheduling import check_schedule
    from superconnector.engine.scheduling.replan import keep_announced, measure_stability
    from superconnector.engine.scheduling.solve import solve
    from superconnector.engine.synthetic import generate_event

    document = generate_event(participants, seed=seed, **SHAPES.get(participants, SHAPES[3000]))
    problem = problem_from_document(document)
    published, bound, seconds = solve(problem, time_limit=time_limit, seed=seed)
    rows = []
    for name, changed in replan_scenarios(problem, published, seed):
        announced = keep_announced(changed)
        for method, keep in (("re-plan", True), ("before", False)):
            started = time.perf_counter()
            schedule, new_bound, _ = solve(
                changed, time_limit=time_limit, seed=seed, keep_announced=keep
            )
            elapsed = time.perf_counter() - started
            assert not check_schedule(changed, schedule), "invalid schedule"
            stability = measure_stability(changed, schedule, announced)
            rows.append(
                {
                    "scenario": name,
                    "method": method,
                    "bound": new_bound.value,
                    "meetings": len(schedule.placements),
                    "zero_move": schedule.zero_move_meetings,
                    "removed": stability.removed,
                    "slot_moves": stability.slot_moves,
                    "table_moves": stability.table_moves,
                    "forced": stability.forced,
                    "optimal": schedule.optimal,
                    "seconds": round(elapsed, 1),
                }
            )
    # The zero-move count is the re-planning's own; give it to the "before" row too.
    for row, before in zip(rows[::2], rows[1::2], strict=True):
        before["zero_move"] = row["zero_move"]
    return {
        "participants": participants,
        "accepted": len(problem.requests),
        "published": len(published.placements),
        "published_bound": bound.value,
        "published_optimal": published.optimal,
        "published_seconds": round(seconds, 1),
        "rows": rows,
    }


def print_replan(result: dict) -> None:
    print(
        f"\n{result['participants']} participants, {result['accepted']} accepted: published "
        f"{result['published']} of bound {result['published_bound']}"
        f"{' (optimal)' if result['published_optimal'] else ''} in "
        f"{result['published_seconds']} s"
    )
    print(
        f"{'scenario':<16} {'method':<8} {'bound':>6} {'0-move':>6} {'held':>6} {'gained':>6} "
        f"{'removed':>7} {'slot mv':>7} {'table mv':>8} {'mv/gain':>7} {'forced':>6} "
        f"{'seconds':>7}"
    )
    for row in result["rows"]:
        gained = row["meetings"] - row["zero_move"]
        moves = row["slot_moves"] + row["table_moves"] + row["removed"]
        per_gain = f"{moves / gained:.2f}" if gained > 0 else ("0" if not moves else "inf")
        print(
            f"{row['scenario']:<16} {row['method']:<8} {row['bound']:>6} {row['zero_move']:>6} "
            f"{row['meetings']:>6} {gained:>6} {row['removed']:>7} {row['slot_moves']:>7} "
            f"{row['table_moves']:>8} {per_gain:>7} {row['forced']:>6} {row['seconds']:>7.1f}"
        )


def fairness(problem, schedule) -> dict:
    """People with requests but no meeting; the least share of a person's possible
    meetings that is met, among the others."""
    from superconnector.engine.scheduling.bounds import measure_fairness

    none, share = measure_fairness(problem, schedule.placements)
    return {"people_with_none": none, "minimum_share": share}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,300,3000,10000")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=1, help="run each size on this many seeds")
    parser.add_argument("--replan", action="store_true", help="the re-planning family")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run = run_replan_one if args.replan else run_one
        print(json.dumps(run(args.one, args.time_limit, args.seed)))
        return 0
    if args.replan:
        sizes = "200,3000" if args.sizes == parser.get_default("sizes") else args.sizes
        for size in [int(s) for s in sizes.split(",")]:
            for seed in range(args.seed, args.seed + args.seeds):
                print_replan(run_in_child(size, args.time_limit, seed, replan=True))
        return 0
    print(
        f"{'participants':>12} {'seed':>4} {'accepted':>9} {'scheduled':>9} {'bound':>7} "
        f"{'ratio':>7} {'gaps':>6} {'none':>5} {'min %':>5} {'seconds':>8} {'peak MB':>8}  solver"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in range(args.seed, args.seed + args.seeds):
            row = run_in_child(size, args.time_limit, seed)
            print(
                f"{row['participants']:>12} {seed:>4} {row['accepted']:>9} {row['scheduled']:>9} "
                f"{row['upper_bound']:>7} {row['ratio']:>7.4f} {row['idle_gaps']:>6} "
                f"{row['people_with_none']:>5} {row['minimum_share']:>5} {row['seconds']:>8.1f} "
                f"{row['peak_rss_mb']:>8}  {row['solver']}{' (optimal)' if row['optimal'] else ''}"
                f"  bounds {row['bounds']}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
