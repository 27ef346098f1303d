from django.core.management.base import BaseCommand, CommandError

from superconnector.events.models import Event
from superconnector.meetings.domain.expiry import (
    expire_all_overdue_requests,
    expire_overdue_requests,
)


class Command(BaseCommand):
    help = (
        "Expire the pending meeting requests of every event whose request deadline has passed "
        "(or of the events named), and tell both sides. Safe to run as often as you like: a "
        "task does the same at each deadline; this is the safety net for cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="slug", help="only these events")

    def handle(self, slugs: list[str], **options):
        if slugs:
            events = list(Event.objects.filter(slug__in=slugs))
            missing = sorted(set(slugs) - {event.slug for event in events})
            if missing:
                raise CommandError(f'no event with slug "{missing[0]}"', returncode=2)
            counts = {event.slug: expire_overdue_requests(event) for event in events}
        else:
            counts = expire_all_overdue_requests()
        for slug, count in sorted(counts.items()):
            self.stdout.write(f"{slug}: {count} pending requests expired")
        self.stdout.write(f"{sum(counts.values())} requests expired in all.")
