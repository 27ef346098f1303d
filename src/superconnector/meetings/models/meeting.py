from django.db import models
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """A scheduled one-to-one meeting: an accepted request placed in a slot at a table."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(
        "meetings.MeetingRequest", on_delete=models.CASCADE, related_name="meeting"
    )
    slot = models.ForeignKey("events.Slot", on_delete=models.CASCADE, related_name="meetings")
    table = models.CharField(_("table"), max_length=64)
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Keeps its slot and table when re-planning.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="meeting_table_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.request.key} @ {self.slot} {self.table}"


class MeetingSeat(models.Model):
    """One participant's place in a meeting; the database refuses double-booking a person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="seats"
    )
    # Same as meeting.slot, repeated here so that the unique constraint below can see it.
    slot = models.ForeignKey("events.Slot", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "slot"], name="seat_one_meeting_per_slot"
            ),
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="seat_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} in meeting {self.meeting_id}"
