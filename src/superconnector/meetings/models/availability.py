from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Availability(models.Model):
    """When a participant can meet. Without a row, the participant attends every session."""

    participant = models.OneToOneField(
        "directory.Participant", on_delete=models.CASCADE, related_name="availability"
    )
    all_sessions = models.BooleanField(_("attends all sessions"), default=True)
    sessions = models.ManyToManyField("events.MeetingSession", blank=True, related_name="+")

    class Meta:
        verbose_name_plural = _("availabilities")

    def __str__(self) -> str:
        return f"availability of {self.participant.key}"


class UnavailableBlock(models.Model):
    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="blocks")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="unavailable_block_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"unavailable {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"
