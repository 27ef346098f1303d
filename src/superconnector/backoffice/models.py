"""What the back office keeps between two requests: checked imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StagedImport(models.Model):
    """An uploaded file, its dry run (the check) and, once the organiser confirms, its import.
    Kept in the database, not on a web server's disk, so that the task worker and the
    confirming request may run on any machine.

    Checking and importing are background tasks (a big list takes longer than a web
    request may): `task` says which one ran last, `status`, `stage` and `progress` how far
    it got, as the matching and scheduling runs do.
    """

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange document (JSON)")
        SPREADSHEET = "spreadsheet", _("Delegate list (CSV or XLSX)")

    class Task(models.TextChoices):
        CHECK = "check", _("Check")
        APPLY = "apply", _("Import")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
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
    # The dry run's report (ImportReport.as_dict) or its problems (ImportRejected.as_dict).
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    task = models.CharField(max_length=8, choices=Task.choices, default=Task.CHECK)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    progress = models.FloatField(default=0.0)
    # Why the task stopped without an answer (a crash, not a problem in the file).
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} for event {self.event_id}"
