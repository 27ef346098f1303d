import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from superconnector.exchange.importer import import_file_content
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import SPREADSHEET_SUFFIXES, import_delegate_list


class Command(BaseCommand):
    help = (
        "Import an exchange document (.json, superconnector/v1) or a delegate list "
        "(.csv or .xlsx, needs --event). All or nothing: any problem imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--event", help="slug of the event a delegate list belongs to")
        parser.add_argument(
            "--lenient", action="store_true", help="ignore unknown fields instead of refusing them"
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="delete rows of the lists in the document that the document does not mention",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, then write nothing"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the outcome as JSON (tallies, or problems with their paths)",
        )

    def handle(self, file: str, event=None, lenient=False, prune=False, dry_run=False, **options):
        try:
            report = self._import(file, event, lenient, prune, dry_run)
        except ImportRejected as rejected:
            if options["json"]:
                self.stdout.write(json.dumps(rejected.as_dict(), ensure_ascii=False, indent=2))
            raise CommandError(rejected.render()) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.render())

    def _import(self, file: str, event, lenient: bool, prune: bool, dry_run: bool):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        size = path.stat().st_size
        if size > settings.SUPERCONNECTOR_MAX_IMPORT_BYTES:
            limit = settings.SUPERCONNECTOR_MAX_IMPORT_BYTES // (1024 * 1024)
            raise CommandError(f"{file}: {size} bytes is larger than the {limit} MiB limit")
        suffix = path.suffix.lower()
        if suffix in SPREADSHEET_SUFFIXES:
            if not event:
                raise CommandError(f"{file}: a delegate list needs --event SLUG", returncode=2)
            return import_delegate_list(
                path.read_bytes(), path.name, event, dry_run=dry_run, source=file
            )
        if suffix == ".json" or not suffix:
            return import_file_content(
                path.read_bytes(), lenient=lenient, prune=prune, dry_run=dry_run, source=file
            )
        raise CommandError(
            f"{file}: unknown file type {suffix!r}; expected .json, .csv or .xlsx", returncode=2
        )
