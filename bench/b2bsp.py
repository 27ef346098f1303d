"""The B2B meeting-scheduling benchmark (Bofill et al., JAIR 2022) against published optima.

    python bench/b2bsp.py                       # the 20 original instances, d = 2, 60 s each
    python bench/b2bsp.py --all --time-limit 60 # all 200 published (instance, d) pairs
    python bench/b2bsp.py --only forum-14       # instances whose name contains this

Prints per instance our objective (total breaks), the best known, whether we matched it,
proved it, and the seconds; every solution is checked against every rule first.
Instances come from ../shared/benchmarks/b2bsp (override with --data).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from superconnector.engine.scheduling.b2bsp import (  # noqa: E402
    check_b2b,
    read_dzn,
    solve_b2b,
    solve_b2b_cpsat,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "benchmarks" / "b2bsp"))
    parser.add_argument("--all", action="store_true", help="every published (instance, d) pair")
    parser.add_argument("--only", default="", help="only instances whose file name contains this")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--solver", choices=["maxsat", "cpsat"], default="maxsat")
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "best_known.csv").is_file():
        print(f"no benchmark data at {data} (expected best_known.csv and instances/)")
        return 2
    with (data / "best_known.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if args.only in r["file"]]
    if not args.all:
        rows = [r for r in rows if r["file"].endswith(".original.dzn") and r["fairness_d"] == "2"]
    print(f"{'instance':38} {'d':>2} {'ours':>5} {'best':>5} {'':15} {'seconds':>8}  solver")
    matched = proved = 0
    for row in rows:
        instance = read_dzn(
            (data / "instances" / row["file"]).read_text(encoding="utf-8"), row["file"]
        )
        d = int(row["fairness_d"])
        if args.solver == "cpsat":
            result, used = solve_b2b_cpsat(instance, d, time_limit=args.time_limit), "cp-sat"
        else:
            result, used = solve_b2b(instance, d, time_limit=args.time_limit)
        best = row["best_obj"]
        if result.breaks is not None:
            problems = check_b2b(instance, result.assignment, d)
            assert not problems, f"{row['file']}: invalid solution: {problems[:3]}"
        ours = (
            "unsat" if result.infeasible else ("-" if result.breaks is None else str(result.breaks))
        )
        known = "unsat" if row["status"].startswith("unsat") else best or "?"
        hit = ours == known
        matched += hit
        proved += result.optimal or result.infeasible
        status = ("matched" if hit else "") + (
            " proved" if result.optimal or result.infeasible else ""
        )
        print(
            f"{row['file']:38} {d:>2} {ours:>5} {known:>5} {status:15} {result.seconds:>8.1f}  {used}",
            flush=True,
        )
    print(
        f"\nmatched the best known on {matched} of {len(rows)}; proved optimal or unsat on {proved} "
        f"({args.solver}, {args.time_limit:.0f} s each)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
