from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Who viewed, exported or changed personal data. Organisers cannot edit it.

    In the events app (the log is per event, and every data app above records to it); the
    table keeps the name it had in the privacy app, where it began.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=320)  # kept when the account is erased
    action = models.CharField(max_length=32)  # view, export, change, erase, purge
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=200)  # e.g. "participant:p1" or "export:participants"
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "privacy_auditentry"
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.subject}"
