from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import validate_key


# The codes of vocabulary.REQUEST_STATUSES, in its order (tests/core/test_vocabulary.py).
class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    # Unanswered when the organiser's request deadline passed (set by expire_overdue_requests).
    EXPIRED = "expired", _("Expired")


ACTIVE_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class MeetingRequest(models.Model):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="meeting_requests"
    )
    key = models.CharField(_("key"), max_length=64, validators=[validate_key])
    sender = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="requests_sent"
    )
    recipient = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="requests_received"
    )
    # Copies of the participants' organisations, kept so that the database itself can refuse
    # a meeting inside one organisation (a CHECK constraint sees only its own row).
    sender_organisation = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="+"
    )
    recipient_organisation = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)
    message = models.TextField(_("message"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Raised whenever the request's meeting moves, so that calendars replace the old entry.
    meeting_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Not stored: set on the delegate's request lists (portal/domain/meetings.py) when the
    # other side has left the listings and is no longer named.
    withheld: bool

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="request_key_unique"),
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="request_not_self"),
            models.CheckConstraint(
                condition=~Q(sender_organisation=F("recipient_organisation")),
                name="request_between_organisations",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=3), name="request_priority_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="request_status_valid"
            ),
            # At most one live request per pair of people, whoever asked first.
            models.UniqueConstraint(
                Least("sender", "recipient"),
                Greatest("sender", "recipient"),
                condition=Q(status__in=ACTIVE_STATUSES),
                name="request_one_active_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.sender.key} → {self.recipient.key} ({self.status})"


class MeetingRequestChange(models.Model):
    """The status history of a request: who changed it, when, from what to what."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=32, default="web")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.key}: {self.from_status or '∅'} → {self.to_status}"


class Block(models.Model):
    """A delegate who does not want meeting requests from another."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    blocker = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey("directory.Participant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker.key} blocks {self.blocked.key}"
