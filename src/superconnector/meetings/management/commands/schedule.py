import json

from django.core.management.base import BaseCommand, CommandError

from superconnector.events.models import Event
from superconnector.meetings.domain.schedule import schedule_document, schedule_event


class Command(BaseCommand):
    help = (
        "Schedule an event's accepted meeting requests into its meeting sessions and store the "
        "schedule (locked meetings keep their slot and table; slots that have begun take no new "
        "meeting)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
        parser.add_argument("--json", action="store_true", help="print the exchange-format JSON")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and print, store nothing"
        )
        parser.add_argument(
            "--absent",
            action="append",
            default=[],
            metavar="PARTICIPANT",
            help="a no-show: drop their meetings and re-plan (repeat for several)",
        )
        parser.add_argument(
            "--changes", action="store_true", help="list what changed for each person"
        )

    def handle(
        self, slug: str, time_limit: float, json: bool, dry_run: bool, absent, changes, **options
    ):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f'no event with slug "{slug}"', returncode=2)
        if time_limit <= 0:
            raise CommandError("--time-limit must be positive", returncode=2)
        run = schedule_event(
            event, time_limit=time_limit, store=not dry_run, absent=frozenset(absent)
        )
        document = schedule_document(event, run)
        if json:
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
        if changes:
            for person, items in sorted(run.changes.items()):
                for change in items:
                    self.stdout.write(
                        f"  {person}: {change.kind} {change.request} with {change.counterpart}"
                    )


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)
