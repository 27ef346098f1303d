import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from superconnector.events.domain.audit import (
    count_expired_audit_entries,
    delete_expired_audit_entries,
)
from superconnector.privacy.domain.retention import plan_expired_purges, purge_expired_events


class Command(BaseCommand):
    help = (
        "Anonymise delegates' personal data of events past their retention (the event's "
        "end plus its retention days), and delete audit entries older than the audit log's "
        "retention (audit_retention_days). Run it daily; --dry-run lists what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would go, change nothing"
        )
        parser.add_argument("--today", help="purge as on this date (YYYY-MM-DD); default today")

    def handle(self, dry_run=False, today=None, **options):
        if today is not None:
            try:
                today = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD", returncode=2) from None
        if dry_run:
            plans = plan_expired_purges(today)
            for plan in plans:
                self.stdout.write(
                    f"would purge {plan.event.slug} (kept until {plan.kept_until}): "
                    + _describe(plan.counts)
                )
            self.stderr.write(
                f"Dry run: {len(plans)} event(s) would be purged and "
                f"{count_expired_audit_entries(today)} audit entries deleted; nothing changed."
            )
            return
        purged = purge_expired_events(today)
        for record in purged:
            self.stdout.write(f"purged {record.event.slug}: {_describe(record.counts)}")
        audit_deleted = delete_expired_audit_entries(today)
        self.stderr.write(
            f"Purged {len(purged)} event(s); deleted {audit_deleted} audit entries past retention."
        )


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{name.replace('_', ' ')} {count}" for name, count in counts.items())
