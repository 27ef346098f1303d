from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.meetings.domain.agenda import (
    agenda_for,
    calendar_for,
    table_plan_csv,
    table_plan_xlsx,
)


class Command(BaseCommand):
    help = (
        "A delegate's agenda (--participant KEY, as text or --ics), or the event's table plan "
        "for venue staff (--table-plan FILE.csv|FILE.xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--participant", help="participant key")
        parser.add_argument("--ics", action="store_true", help="print an iCalendar feed")
        parser.add_argument("--table-plan", help="write the table plan to this .csv or .xlsx file")

    def handle(self, slug, participant=None, ics=False, table_plan=None, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f'no event with slug "{slug}"', returncode=2)
        if table_plan:
            path = Path(table_plan)
            if path.suffix.lower() not in (".csv", ".xlsx"):
                raise CommandError("--table-plan takes a .csv or .xlsx file name", returncode=2)
            path.write_bytes(
                table_plan_csv(event) if path.suffix.lower() == ".csv" else table_plan_xlsx(event)
            )
            self.stderr.write(f"Wrote {path}.")
            return
        person = (
            Participant.objects.filter(event=event, key=participant)
            .select_related("person")
            .first()
        )
        if person is None:
            raise CommandError(f'no participant "{participant}" in event "{slug}"', returncode=2)
        if ics:
            self.stdout.write(calendar_for(person).decode("utf-8"), ending="")
            return
        for item in agenda_for(person):
            self.stdout.write(
                f"{item.starts_at:%Y-%m-%d %H:%M}-{item.ends_at:%H:%M}  table {item.table:<6} "
                f"{item.counterpart} ({item.counterpart_organisation})"
            )
