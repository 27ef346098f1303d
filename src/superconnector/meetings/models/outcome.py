from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeKind(models.TextChoices):
    NO_SHOW = "no_show", _("The other side did not come")
    NO_FIT = "no_fit", _("Met, no further steps")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    NDA = "nda", _("NDA signed")
    NEGOTIATION = "negotiation", _("In negotiation")
    AGREEMENT = "agreement", _("Agreement signed")
    INVESTMENT = "investment", _("Investment made")
    LICENCE = "licence", _("Licence granted")


class MeetingOutcome(models.Model):
    """What one side says came of a meeting; feeds the organiser's reports."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="outcomes"
    )
    reported_by = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="reported_outcomes"
    )
    kind = models.CharField(_("outcome"), max_length=16, choices=OutcomeKind.choices)
    # Deal value (investment, licence or contract), if the delegate shares it.
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="HKD")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "reported_by"], name="outcome_once_per_side"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="outcome_value_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.kind}"
