"""Import benchmark: a 100,000-row delegate list checked and imported in the background (issue 12).

    python bench/imports.py                                  # SQLite, 100,000 rows
    python bench/imports.py --pg-url postgresql://postgres@127.0.0.1:5432/postgres
    python bench/imports.py --rows 20000                     # a quicker look

What it does, each time from scratch:

1. Makes a fresh database (SQLite in a temporary data directory, or the PostgreSQL database
   --database on the server of --pg-url, dropped and created again), migrates it and imports
   a generated 300-delegate event (`superconnector generate`) as the event delegates are
   working in, with an organiser.
2. Writes a --rows delegate list (CSV, English headers: name, e-mail, organisation, job
   title, phone, type, region, sectors) of new people from --rows / 5 organisations.
3. Uploads it as the back office does (backoffice.domain.imports.stage_import: the file is
   stored and the check queued) and runs `superconnector db_worker --batch`, the production
   worker, until the check is done; then confirms it (start_apply) and runs the worker again
   for the import. Both run in the worker process, as under gunicorn: no web request waits.
4. Meanwhile a second process plays a delegate: every 100 ms it saves a profile change
   (its person's job title and its organisation's description, in one transaction, as the
   portal's profile page does) or sends a meeting request, each a short write transaction
   with the production database settings (SQLite: IMMEDIATE transactions, 20 s busy
   timeout). It records how long each write waited and whether it failed ("database is
   locked" is what a delegate saw as HTTP 500).
5. Prints how long storing the upload took (all the upload request does), then a table per
   phase: the task's own time (started_at to finished_at), the worker process's wall time
   and peak memory (its maximum resident set), and the delegate's writes during the phase:
   count, failures, median and longest wait; and the importer's own timing: planning (read
   only, no write lock) and the write transaction (on SQLite: how long the write lock was
   held), and whether the plan had to be made again inside it.

The data directory (SQLite) or database (PostgreSQL) is kept for a look afterwards.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLUG = "synthetic-300-0"
ORGANISER = "bench-organiser@example.com"
WRITE_EVERY = 0.1

REGIONS = ["Hong Kong", "Shenzhen", "Beijing", "Shanghai", "Singapore", "Munich", "Lyon"]
KINDS = ["enterprise", "startup", "investor", "university", "research institution"]
SECTORS = ["ai", "biotech", "fintech", "logistics", "energy", "materials", "health"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg-url", help="PostgreSQL server URL; without it, SQLite")
    parser.add_argument("--database", default="superconnector_imports")
    parser.add_argument("--data-dir", help="SQLite data directory (default: a new temp dir)")
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        result = ROLES[args.role](args)
        if args.out:
            Path(args.out).write_text(json.dumps(result), encoding="utf-8")
        return
    run(args)


# --- the benchmark (this process: no Django) -------------------------------------------------


def run(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="sc-import-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = django_env(args, data_dir)
    label = "PostgreSQL" if args.pg_url else "SQLite"
    print(f"{label}: data in {args.database if args.pg_url else data_dir}", flush=True)
    if args.pg_url:
        recreate_database(args)
    sc = [str(BIN / "superconnector")]
    subprocess.run([*sc, "migrate", "-v", "0"], env=env, check=True)
    event_file = data_dir / "event.json"
    subprocess.run(
        [*sc, "generate", "--participants", "300", "--tables", "40", "-o", str(event_file)],
        env=env,
        check=True,
    )
    subprocess.run([*sc, "import", str(event_file)], env=env, check=True, stdout=subprocess.DEVNULL)
    csv_file = data_dir / f"delegates-{args.rows}.csv"
    write_list(csv_file, args.rows)
    print(f"{csv_file.name}: {csv_file.stat().st_size / 2**20:.1f} MiB", flush=True)
    child(args, env, "setup", data_dir)

    results = {}
    for phase in ("check", "apply"):
        results[phase] = measure_phase(args, env, data_dir, phase, csv_file)
    print_table(label, args.rows, results)
    (data_dir / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")


def measure_phase(args, env, data_dir: Path, phase: str, csv_file: Path) -> dict:
    out = data_dir / f"{phase}.json"
    stop = data_dir / "stop-writing"
    stop.unlink(missing_ok=True)
    writes = data_dir / f"writes-{phase}.json"
    writer = subprocess.Popen(
        [sys.executable, __file__, "--role", "writer", "--out", str(writes)]
        + (["--pg-url", args.pg_url, "--database", args.database] if args.pg_url else []),
        env={**env, "BENCH_STOP_FILE": str(stop)},
    )
    time.sleep(2)  # the delegate is writing before the work is queued
    if phase == "check":
        staged = child(args, env, "stage", data_dir, extra={"BENCH_CSV": str(csv_file)})
        print(f"upload stored and check queued in {staged['seconds']:.2f} s", flush=True)
    else:
        child(args, env, "confirm", data_dir)
    started = time.monotonic()
    worker = subprocess.Popen(
        [
            str(BIN / "superconnector"),
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "-v",
            "0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(worker.pid, 0)
    wall = time.monotonic() - started
    time.sleep(1)
    stop.write_text("stop")
    writer.wait()
    outcome = child(args, env, "outcome", data_dir, out=out)
    samples = json.loads(writes.read_text(encoding="utf-8"))
    during = [s for s in samples if outcome["started"] - 0.5 <= s["at"] <= outcome["finished"]]
    waits = [s["seconds"] for s in during]
    return {
        **outcome,
        "worker_exit": os.waitstatus_to_exitcode(status),
        "worker_wall_s": wall,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "writes": len(during),
        "write_failures": sum(1 for s in during if not s["ok"]),
        "failure_messages": sorted({s["error"] for s in during if not s["ok"]})[:3],
        "median_wait_s": statistics.median(waits) if waits else None,
        "longest_wait_s": max(waits) if waits else None,
    }


def print_table(label: str, rows: int, results: dict) -> None:
    print()
    print(f"{label}, {rows:,}-row delegate list")
    header = (
        f"{'phase':6} {'outcome':10} {'task s':>8} {'worker s':>9} {'peak MiB':>9} "
        f"{'writes':>7} {'failed':>7} {'median wait s':>14} {'longest wait s':>15}"
    )
    print(header)
    print("-" * len(header))
    for phase, r in results.items():
        print(
            f"{phase:6} {r['outcome']:10} {r['task_s']:8.1f} {r['worker_wall_s']:9.1f} "
            f"{r['peak_rss_mib']:9.0f} {r['writes']:7} {r['write_failures']:7} "
            f"{r['median_wait_s'] or 0:14.3f} {r['longest_wait_s'] or 0:15.3f}"
        )
        for message in r["failure_messages"]:
            print(f"       failed write: {message}")
        if r.get("error"):
            print(f"       task error: {r['error']}")
        print(f"       tallies: {r['tallies']}")
        if r.get("timing"):
            timing = r["timing"]
            print(
                f"       planning {timing.get('plan_s', 0):.1f} s (no write lock)"
                + (
                    f", write transaction {timing['write_s']:.1f} s"
                    f"{' (planned again inside)' if timing.get('planned_again') else ''}"
                    if "write_s" in timing
                    else ""
                )
            )


def child(args, env, role: str, data_dir: Path, *, extra=None, out: Path | None = None) -> dict:
    out = out or data_dir / f"{role}.json"
    command = [sys.executable, __file__, "--role", role, "--out", str(out)]
    if args.pg_url:
        command += ["--pg-url", args.pg_url, "--database", args.database]
    subprocess.run(command, env={**env, **(extra or {})}, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def write_list(path: Path, rows: int) -> None:
    rng = random.Random(12)
    organisations = max(1, rows // 5)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["name", "email", "organisation", "job title", "phone", "type", "region", "sectors"]
        )
        for i in range(rows):
            org = rng.randrange(organisations)
            writer.writerow(
                [
                    f"Delegate {i:06d}",
                    f"delegate{i:06d}@bench{org % 997}.example.com",
                    f"Bench Organisation {org:05d}",
                    rng.choice(["CEO", "CTO", "Partner", "Researcher", "Manager"]),
                    f"+852 {rng.randrange(10**7, 10**8)}",
                    KINDS[org % len(KINDS)],
                    REGIONS[org % len(REGIONS)],
                    ", ".join(rng.sample(SECTORS, 2)),
                ]
            )


def django_env(args: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "superconnector.settings",
        "SUPERCONNECTOR_DEBUG": "false",
        "SUPERCONNECTOR_SECRET_KEY": "import-benchmark-secret-key-not-for-production-0123456789",
        "SUPERCONNECTOR_ALLOWED_HOSTS": "127.0.0.1",
        "SUPERCONNECTOR_ENCODER": "hashing",
        "SUPERCONNECTOR_DATA_DIR": str(data_dir),
        "SUPERCONNECTOR_CONFIG_FILE": "",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("SUPERCONNECTOR_DATABASE_URL", None)
    if args.pg_url:
        env["SUPERCONNECTOR_DATABASE_URL"] = database_url(args)
    return env


def database_url(args: argparse.Namespace) -> str:
    parts = urlsplit(args.pg_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{args.database}", parts.query, ""))


def recreate_database(args: argparse.Namespace) -> None:
    import psycopg

    parts = urlsplit(args.pg_url)
    server = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(server, autocommit=True) as connection:
        name = args.database.replace('"', "")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# --- roles (child processes with Django set up) ----------------------------------------------


def role_setup(args) -> dict:
    from django.contrib.auth import get_user_model

    from superconnector.events.domain.access import add_organiser
    from superconnector.events.models import Event

    event = Event.objects.get(slug=SLUG)
    user = get_user_model().objects.create_user(ORGANISER, "bench-organiser-password")
    add_organiser(event, user)
    return {"event": event.pk}


def role_stage(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from superconnector.backoffice.uploads import stage_import
    from superconnector.events.models import Event

    data = Path(os.environ["BENCH_CSV"]).read_bytes()
    user = get_user_model().objects.get(email=ORGANISER)
    event = Event.objects.get(slug=SLUG)
    began = time.monotonic()
    with transaction.atomic():
        staged = stage_import(event, user, "delegates.csv", data)
    return {"staged": staged.pk, "seconds": time.monotonic() - began}


def role_confirm(args) -> dict:
    from django.contrib.auth import get_user_model

    from superconnector.backoffice.uploads import start_apply
    from superconnector.exchange.models import StagedImport

    staged = StagedImport.objects.latest("pk")
    if not staged.ok:
        raise SystemExit(f"the check did not pass: {staged.status} {staged.error or staged.report}")
    start_apply(staged, get_user_model().objects.get(email=ORGANISER))
    return {"staged": staged.pk}


def role_outcome(args) -> dict:
    from superconnector.exchange.models import StagedImport

    staged = StagedImport.objects.defer("content").latest("pk")
    tallies = {
        name: {k: v for k, v in tally.items() if v}
        for name, tally in (staged.report or {}).get("tallies", {}).items()
        if any(tally.values())
    }
    problems = (staged.report or {}).get("problems", [])
    outcome = staged.status if staged.status == "failed" else ("ok" if staged.ok else "problems")
    return {
        "outcome": outcome,
        "error": staged.error
        or (f"{len(problems)} problems, first: {problems[:2]}" if problems else ""),
        "task_s": (staged.finished_at - staged.started_at).total_seconds()
        if staged.finished_at and staged.started_at
        else float("nan"),
        "started": staged.started_at.timestamp() if staged.started_at else 0.0,
        "finished": staged.finished_at.timestamp() if staged.finished_at else time.time(),
        "tallies": tallies,
        # The importer's own clock: planning (read only) and the write transaction.
        "timing": (staged.report or {}).get("timing", {}),
    }


def role_writer(args) -> list[dict]:
    """A delegate at work: a short write transaction every WRITE_EVERY seconds."""
    from django.db import transaction

    from superconnector.directory.models import Participant
    from superconnector.meetings.domain.requests import send_request

    stop = Path(os.environ["BENCH_STOP_FILE"])
    people = list(
        Participant.objects.filter(event__slug=SLUG)
        .select_related("person", "event_organisation__organisation")
        .order_by("pk")[:200]
    )
    samples, i = [], 0
    while not stop.exists():
        me = people[i % len(people)]
        at, began = time.time(), time.monotonic()
        try:
            if i % 2:
                with transaction.atomic():
                    me.person.title = f"Title {i}"
                    me.person.save(update_fields=["title", "updated_at"])
                    org = me.event_organisation.organisation
                    org.description = f"{org.description[:200]} ({i})"
                    org.save(update_fields=["description", "updated_at"])
            else:
                other = people[(i * 7 + 1) % len(people)]
                try:
                    send_request(me, other, message=f"Shall we meet? ({i})")
                except Exception as refused:  # a business refusal is still a completed write
                    if "locked" in str(refused) or "timeout" in str(refused).lower():
                        raise
            samples.append({"at": at, "seconds": time.monotonic() - began, "ok": True})
        except Exception as exc:
            samples.append(
                {
                    "at": at,
                    "seconds": time.monotonic() - began,
                    "ok": False,
                    "error": f"{type(exc).__name__}: {exc}"[:200],
                }
            )
        i += 1
        time.sleep(max(0.0, WRITE_EVERY - (time.monotonic() - began)))
    return samples


ROLES = {
    "setup": role_setup,
    "stage": role_stage,
    "confirm": role_confirm,
    "outcome": role_outcome,
    "writer": role_writer,
}

if __name__ == "__main__":
    main()
