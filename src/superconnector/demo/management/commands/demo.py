from django.core.management.base import BaseCommand

from superconnector.demo.loader import DEMO_SLUG, load_demo
from superconnector.events.domain.summary import summarise_event
from superconnector.events.models import Event


class Command(BaseCommand):
    help = "Load (or refresh) the demo event and print its logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the site will be served"
        )

    def handle(self, url: str, **options):
        report, logins = load_demo()
        self.stdout.write(report.render())
        summary = summarise_event(Event.objects.get(slug=DEMO_SLUG))
        languages = ", ".join(f"{k} {v}" for k, v in summary.opportunities_by_language.items())
        self.stdout.write(
            f"\nDemo event: {summary.organisations} organisations, {summary.participants} delegates, "
            f"{summary.opportunities} opportunities ({languages})."
        )
        self.stdout.write(f"\nSign in at {url.rstrip('/')}/accounts/login/ as")
        for login in logins:
            self.stdout.write(
                f"  {login.role:<10} {login.email}  password: {login.password}  ({login.name})"
            )
