"""Backup and restore of one event through its export (docs/operations.md)."""

import pytest
from django.core.management import call_command

from superconnector.events.models import Event
from superconnector.exchange.importer import import_document

pytestmark = pytest.mark.django_db


def with_a_meeting(document: dict) -> dict:
    # r1 is accepted in the small document; place it so that meetings are in the backup.
    document["meetings"] = [
        {"request": "r1", "date": "2026-12-08", "start": "09:00", "end": "09:20", "table": "T3"}
    ]
    return document


def test_an_event_deleted_and_restored_from_its_export_is_identical(document, tmp_path):
    import_document(with_a_meeting(document))
    backup, again = tmp_path / "event.json", tmp_path / "again.json"
    call_command("export", "bj-hk-2026", "-o", str(backup))
    assert '"table": "T3"' in backup.read_text(encoding="utf-8")

    # Losing the event keeps the platform-wide people and organisations: the restore must
    # find them again (by e-mail, website or name) rather than duplicate or refuse them.
    Event.objects.get(slug="bj-hk-2026").delete()
    call_command("import", str(backup))
    call_command("export", "bj-hk-2026", "-o", str(again))

    assert again.read_text(encoding="utf-8") == backup.read_text(encoding="utf-8")
