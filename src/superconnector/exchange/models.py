"""What an import keeps between the upload, its check and its confirmation."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from superconnector.core.models.run import BackgroundRun


class StagedImport(BackgroundRun):
    """An uploaded file, its dry run (the check) and, once the organiser confirms, its import.
    Kept in the database, not on a web server's disk, so that the task worker and the
    confirming request may run on any machine.

    Checking and importing are background runs (a big list takes longer than a web request
    may): `task` says which one ran last, `status`, `stage` and `progress` how far it got.
    Unlike matching and scheduling, one upload is checked and then imported by two runs in
    turn, so the row is queued again (`queued_at`); several uploads of an event may be
    checked at once (two organisers, say), so there is no one-per-event constraint.
    """

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange document (JSON)")
        SPREADSHEET = "spreadsheet", _("Delegate list (CSV or XLSX)")

    class Task(models.TextChoices):
        CHECK = "check", _("Check")
        APPLY = "apply", _("Import")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    content = models.BinaryField()
    digest = models.CharField(max_length=64)
    # Bytes, for the progress estimate (the content itself is not loaded to show a page).
    size = models.PositiveBigIntegerField(default=0)
    ok = models.BooleanField(default=False)
    # The dry run's report (ImportReport.as_dict) or its problems (ImportRejected.as_dict):
    # what an import answers, in place of a run's figures.
    report = models.JSONField(default=dict, blank=True)
    stats = None
    applied_at = models.DateTimeField(null=True, blank=True)
    task = models.CharField(max_length=8, choices=Task.choices, default=Task.CHECK)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta(BackgroundRun.Meta):
        # Moved here from the back office (exchange 0001): the table kept its name.
        db_table = "backoffice_stagedimport"

    def __str__(self) -> str:
        return f"{self.filename} for event {self.event_id}"

    def queued_since(self) -> dt.datetime:
        return self.queued_at or self.created_at
