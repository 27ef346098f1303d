from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from superconnector.directory.models import Opportunity
from superconnector.events.models import Event
from superconnector.exchange.exporter import dump_document, export_event


class Command(BaseCommand):
    help = "Export an event as an exchange document (superconnector/v1 JSON)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the event's slug")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, slug: str, output: str | None = None, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            known = ", ".join(Event.objects.values_list("slug", flat=True)[:10]) or "none"
            raise CommandError(f'no event with slug "{slug}" (known events: {known})', returncode=2)
        text = dump_document(export_event(event))
        self._warn_of_confidential_opportunities(event)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f'Exported event "{slug}" to {output}.')
        else:
            self.stdout.write(text, ending="")

    def _warn_of_confidential_opportunities(self, event: Event) -> None:
        # The exchange format (v1) has no field for it: a restore from this file would show
        # these to every delegate unless someone marks them again.
        keys = list(
            Opportunity.objects.filter(event=event, confidential=True)
            .order_by("key")
            .values_list("key", flat=True)
        )
        if keys:
            one = len(keys) == 1
            self.stderr.write(
                f"Warning: {len(keys)} confidential opportunit{'y' if one else 'ies'}"
                f" ({', '.join(keys)}) {'is' if one else 'are'} exported without that mark (the"
                " exchange format has no field for it); after importing this file, mark"
                f" {'it' if one else 'them'} confidential again."
            )
