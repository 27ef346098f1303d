from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """An e-mail saved in the same transaction as the change it reports, sent after commit.

    If the transaction rolls back, the mail was never there; if sending fails, it stays
    queued and is retried with growing pauses, and sent once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # Files sent with the mail, each {"filename", "content_type", "content"} with text
    # content (a calendar file): kept with the mail so that a retry sends the same file.
    attachments = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=50, blank=True, help_text="what the mail is about")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind or 'mail'} to {self.to} ({self.status})"
