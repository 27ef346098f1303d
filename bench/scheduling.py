"""Scheduling benchmark on generated events: meetings placed against the proven bound.

    python bench/scheduling.py                  # 200, 300, 3,000 and 10,000 participants
    python bench/scheduling.py --sizes 200 --time-limit 30

Prints, per event: accepted requests, scheduled meetings, proven upper bound (and which
bound), ratio, idle gaps, solver, seconds and peak memory (each size in its own process).
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


def run_in_child(size: int, time_limit: float, seed: int) -> dict:
    """One event in its own process, so that peak memory is that event's alone."""
    command = [sys.executable, __file__, "--one", str(size), "--time-limit", str(time_limit)]
    out = subprocess.run(
        [*command, "--seed", str(seed)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.seed)))
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
