"""The back office's personal data, as privacy's erasure and retention see it
(privacy/holders.py): uploaded delegate lists hold people's rows as they were uploaded.

TODO(runs): StagedImport moves to the exchange app; privacy may then import it directly,
and this holder goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from superconnector.backoffice.models import StagedImport
from superconnector.privacy.holders import PersonalDataHolder, Scrub


class StagedImportHolder(PersonalDataHolder):
    name = "uploads"

    def count_for_event(self, event) -> int:
        return StagedImport.objects.filter(event=event).count()

    def delete_for_event(self, event) -> None:
        StagedImport.objects.filter(event=event).delete()

    def scrub_person(self, event_ids: Iterable[int], scrub: Scrub) -> None:
        """Lists still waiting for confirmation are deleted, since confirming one would
        bring the person back; applied ones lose the file and keep their report, scrubbed
        (a message may quote a cell)."""
        event_ids = list(event_ids)
        StagedImport.objects.filter(event__in=event_ids, applied_at__isnull=True).delete()
        for upload in StagedImport.objects.filter(event__in=event_ids).defer("content"):
            upload.content, upload.report = b"", scrub(upload.report)
            upload.save(update_fields=["content", "report"])
