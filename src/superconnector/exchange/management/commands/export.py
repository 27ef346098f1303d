from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f'Exported event "{slug}" to {output}.')
        else:
            self.stdout.write(text, ending="")
