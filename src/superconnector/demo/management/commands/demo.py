from django.core.management.base import BaseCommand

from superconnector.demo.loader import DEMO_SLUG, load_demo
from superconnector.events.models import Event
from superconnector.meetings.domain.summary import summarise_event


class Command(BaseCommand):
    help = "Load (or refresh) the demo event and print its logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the site will be served"
        )
        parser.add_argument(
            "--no-matching",
            action="store_true",
            help="skip computing recommendations (the organiser can run matching later)",
        )

    def handle(self, url: str, no_matching: bool = False, **options):
        from superconnector.matchmaking.domain.matching import ensure_recommendations  # noqa: PLC0415 (the matching stack takes about 1.5 s to import; --no-matching does without it)

        report, logins = load_demo()
        self.stdout.write(report.render())
        event = Event.objects.get(slug=DEMO_SLUG)
        if not no_matching:
            # So the printed delegate sees recommendations at once; cached after the first
            # run, and skipped when nothing changed.
            self.stdout.write("Computing recommendations (the first run encodes every text)...")
            ensure_recommendations(event)
        summary = summarise_event(event)
        base = url.rstrip("/")
        languages = ", ".join(f"{k} {v}" for k, v in summary.opportunities_by_language.items())
        self.stdout.write(
            f"\nDemo event: {summary.organisations} organisations, {summary.participants} delegates, "
            f"{summary.opportunities} opportunities ({languages})."
        )
        self.stdout.write(f"\nSign in at {base}/accounts/login/ as")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<10} {login.email}  password: {login.password}  ({login.name})"
            )
        self.stdout.write(
            f"\nDelegate portal: {base}/events/{DEMO_SLUG}/recommendations/"
            f"\nBack office:     {base}/orga/{DEMO_SLUG}/"
            f"\nREST API docs:   {base}/api/v1/docs"
        )
