"""Day-of repairs on a published schedule: seconds per no-show, late accept and cancellation.

Each repair is local (meetings/domain/repair.py, noshow.py): nothing but the absentee's,
the cancelled or the accepted meeting changes. This script builds a generated event in a
fresh database (SQLite in a temp directory, or PostgreSQL with --database-url), schedules
and publishes it, checks everyone in, gives each delegate ten recommendations, and then
times each repair and checks that no other meeting moved.

    PYTHONPATH=src python bench/repair.py [--participants 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def configure(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superconnector.settings")
    os.environ["SUPERCONNECTOR_DATA_DIR"] = tempfile.mkdtemp(prefix="sc-repair-bench-")
    os.environ.setdefault("SUPERCONNECTOR_SECRET_KEY", "repair-benchmark-key-" + "x" * 40)
    os.environ["SUPERCONNECTOR_CONFIG_FILE"] = ""
    os.environ.setdefault("SUPERCONNECTOR_ENCODER", "hashing")
    os.environ.pop("SUPERCONNECTOR_DATABASE_URL", None)
    if args.database_url:
        os.environ["SUPERCONNECTOR_DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=2)
    parser.add_argument("--repairs", type=int, default=10, help="of each kind")
    parser.add_argument("--database-url", help="an empty PostgreSQL database; else SQLite")
    args = parser.parse_args()
    configure(args)

    from django.core.management import call_command
    from django.utils import timezone

    from superconnector.directory.models import Participant
    from superconnector.engine.synthetic import generate_event
    from superconnector.events.models import Event, Slot
    from superconnector.exchange.importer import import_document
    from superconnector.matchmaking.models import MeetingSuggestion
    from superconnector.meetings.domain.noshow import mark_absent
    from superconnector.meetings.domain.publication import publish_event_schedule
    from superconnector.meetings.domain.repair import accept_and_place, cancel_and_offer
    from superconnector.meetings.domain.schedule import schedule_event
    from superconnector.meetings.models import Meeting, MeetingRequest, RequestStatus

    call_command("migrate", verbosity=0)
    document = generate_event(args.participants, seed=0, sessions=args.sessions, tables=args.tables)
    import_document(document)
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(request_deadline=None)
    event.refresh_from_db()
    first = Slot.objects.filter(session__event=event).order_by("starts_at").first()
    now = first.starts_at - timezone.timedelta(hours=1)  # the morning of the event
    run = schedule_event(event, time_limit=30, now=now)
    publish_event_schedule(event, None, now=now)
    event.refresh_from_db()
    people = list(Participant.objects.filter(event=event).order_by("pk"))
    Participant.objects.filter(event=event).update(checked_in_at=now)
    rng = random.Random(0)
    MeetingSuggestion.objects.bulk_create(
        MeetingSuggestion(event=event, participant=p, suggested=o, score=1.0 / rank, rank=rank)
        for p in people
        for rank, o in enumerate(
            rng.sample(
                [x for x in people if x.event_organisation_id != p.event_organisation_id], 10
            ),
            start=1,
        )
    )
    print(
        f"{len(people)} people, {len(run.problem.requests)} accepted, "
        f"{len(run.schedule.placements)} scheduled and published"
    )

    def placements() -> dict[str, tuple[int, str]]:
        return dict(
            (key, (slot, table))
            for key, slot, table in Meeting.objects.filter(event=event).values_list(
                "request__key", "slot_id", "table"
            )
        )

    rows = []

    def measure(label: str, action, items) -> None:
        """`action(item)` repairs and returns (meetings freed or to place, placed/offered)."""
        seconds, freed, changed, moved = [], 0, 0, 0
        for item in items:
            before = placements()
            started = time.perf_counter()
            touched = action(item)
            seconds.append(time.perf_counter() - started)
            after = placements()
            freed += touched[0]
            changed += touched[1]
            moved += sum(1 for key in set(before) & set(after) if before[key] != after[key])
        rows.append((label, len(seconds), freed, changed, moved, seconds))

    # No-shows: the people with most meetings still to come.
    seats = {p.pk: Meeting.objects.filter(seats__participant=p).count() for p in people}
    absentees = sorted(people, key=lambda p: -seats[p.pk])[: args.repairs]

    def no_show(participant: Participant) -> tuple[int, int]:
        report = mark_absent(participant, now=now)
        return len(report.freed), len(report.offers)

    measure("no-show (mark absent, offer places)", no_show, absentees)

    # Cancellations: meetings of people still here.
    here = Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED).exclude(
        seats__participant__absent=True
    )
    cancelled = list(here.select_related("request__sender")[: args.repairs])
    measure(
        "cancellation (offer the place)",
        lambda m: (
            1,
            int(cancel_and_offer(m.request, by=m.request.sender, now=now).offer is not None),
        ),
        cancelled,
    )

    # Late accepts: new requests between people here who have none yet.
    pairs = []
    busy = set(MeetingRequest.objects.filter(event=event).values_list("sender_id", "recipient_id"))
    present = [p for p in people if not Participant.objects.get(pk=p.pk).absent]
    while len(pairs) < args.repairs:
        a, b = rng.sample(present, 2)
        if a.event_organisation_id == b.event_organisation_id or (a.pk, b.pk) in busy:
            continue
        if (b.pk, a.pk) in busy:
            continue
        busy.add((a.pk, b.pk))
        pairs.append(
            MeetingRequest.objects.create(
                event=event,
                key=f"late-{len(pairs)}",
                sender=a,
                recipient=b,
                sender_organisation_id=a.event_organisation_id,
                recipient_organisation_id=b.event_organisation_id,
            )
        )
    measure(
        "late accept (place without moving)",
        lambda r: (1, int(accept_and_place(r, by=r.recipient, now=now).placed is not None)),
        pairs,
    )

    print()
    print(
        "| repair | count | meetings freed / to place | placed or offered "
        "| other meetings moved | median s | max s | s per meeting freed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label, count, freed, changed, moved, seconds in rows:
        print(
            f"| {label} | {count} | {freed} | {changed} | {moved} | "
            f"{statistics.median(seconds):.3f} | {max(seconds):.3f} | "
            f"{sum(seconds) / max(freed, 1):.3f} |"
        )


if __name__ == "__main__":
    main()
