import json

from django.core.management.base import BaseCommand, CommandError

from superconnector.events.models import Event
from superconnector.meetings.domain.drafts import (
    DraftRefused,
    apply_draft,
    discard_draft,
    is_published,
    pending_draft,
    save_draft,
)
from superconnector.meetings.domain.schedule import (
    change_lines,
    schedule_document,
    schedule_event,
)
from superconnector.meetings.models import ScheduleDraft


class Command(BaseCommand):
    help = (
        "Schedule an event's accepted meeting requests into its meeting sessions and store the "
        "schedule (locked meetings keep their slot and table; slots that have begun take no new "
        "meeting). Once the schedule is published, the result is kept as a draft: --apply "
        "writes it, --discard drops it, --apply-now re-plans and writes at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
        parser.add_argument("--json", action="store_true", help="print the exchange-format JSON")
        decision = parser.add_mutually_exclusive_group()
        decision.add_argument(
            "--dry-run", action="store_true", help="compute and print, store nothing (no draft)"
        )
        decision.add_argument(
            "--apply",
            action="store_true",
            help="after publication: write the waiting draft (refused if it is out of date); "
            "solves nothing",
        )
        decision.add_argument(
            "--discard", action="store_true", help="drop the waiting draft; writes nothing else"
        )
        decision.add_argument(
            "--apply-now",
            action="store_true",
            help="after publication: re-plan and write at once, without a draft",
        )
        parser.add_argument(
            "--absent",
            action="append",
            default=[],
            metavar="PARTICIPANT",
            help="a no-show: drop their meetings and re-plan (repeat for several)",
        )
        parser.add_argument(
            "--changes",
            action="store_true",
            help="list what changed for each person (slot moves and table-only moves apart)",
        )

    def handle(self, slug: str, time_limit: float, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f'no event with slug "{slug}"', returncode=2)
        if time_limit <= 0:
            raise CommandError("--time-limit must be positive", returncode=2)
        if options["apply"] or options["discard"]:
            self._decide(event, apply=options["apply"])
            return
        as_draft = is_published(event) and not options["apply_now"] and not options["dry_run"]
        absent = frozenset(options["absent"])
        run = schedule_event(
            event,
            time_limit=time_limit,
            store=not (options["dry_run"] or as_draft),
            absent=absent,
        )
        draft = save_draft(event, run, absent) if as_draft else None
        document = schedule_document(event, run)
        if options["json"]:
            if draft is not None:
                document["draft"] = {"id": draft.pk, "counts": draft.counts}
            self.stdout.write(_dumps(document))
            return
        stats = document["stats"]
        self.stdout.write(
            f"Scheduled {stats['scheduled']} of {stats['requested']} accepted requests "
            f"(proven upper bound {stats['upper_bound']}{', optimal' if stats['optimal'] else ''}) "
            f"with {stats['idle_gaps']} idle gaps, by {stats['solver']} in {stats['seconds']} s."
        )
        for warning in document.get("warnings", []):
            self.stdout.write(warning)
        if draft is not None:
            self.stdout.write(_draft_summary(draft))
        if options["changes"]:
            for line in change_lines(event, run.changes):
                self.stdout.write(line)

    def _decide(self, event: Event, *, apply: bool) -> None:
        draft = pending_draft(event)
        if draft is None:
            raise CommandError(f'event "{event.slug}" has no draft waiting', returncode=2)
        try:
            if apply:
                apply_draft(draft, None)
            else:
                discard_draft(draft, None)
        except DraftRefused as refused:
            raise CommandError(str(refused), returncode=1) from refused
        verb = "Applied" if apply else "Discarded"
        self.stdout.write(f"{verb} draft {draft.pk}.")


def _draft_summary(draft: ScheduleDraft) -> str:
    c = draft.counts
    return (
        f"Kept as draft {draft.pk}, not written (the schedule is published): "
        f"{c['gained']:+d} meetings ({c['added']} added, {c['removed']} announced removed), "
        f"{c['moved']} moved to another slot, {c['table']} moved to another table only, "
        f"{c['people']} people affected. Apply it with --apply, or drop it with --discard."
    )


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
