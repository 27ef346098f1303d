"""What the back office keeps between two requests: checked imports and publications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StagedImport(models.Model):
    """An uploaded file that passed (or failed) its dry run, waiting for the organiser's
    confirmation. Kept in the database, not on a web server's disk, so that the confirming
    request may reach any machine."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", _("Exchange document (JSON)")
        SPREADSHEET = "spreadsheet", _("Delegate list (CSV or XLSX)")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    content = models.BinaryField()
    digest = models.CharField(max_length=64)
    ok = models.BooleanField(default=False)
    # The dry run's report (ImportReport.as_dict) or its problems (ImportRejected.as_dict).
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} for event {self.event_id}"


class SchedulePublication(models.Model):
    """One publication of an event's schedule, with the agendas as announced: the next
    publication e-mails only what changed since."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()
    snapshot = models.JSONField(default=dict, blank=True)
    mailed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"schedule of event {self.event_id} published {self.published_at:%Y-%m-%d %H:%M}"
