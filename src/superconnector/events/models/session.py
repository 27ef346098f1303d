from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import validate_key
from superconnector.events.validators import session_date_error


class MeetingSession(models.Model):
    """A block of time in which one-to-one meetings run in parallel at `tables` tables.

    Times are the event's local wall-clock times, as organisers and the exchange format
    state them; the materialised Slot rows carry the exact instants.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sessions")
    key = models.CharField(_("key"), max_length=64, validators=[validate_key])
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"))
    gap_minutes = models.PositiveSmallIntegerField(_("changeover (minutes)"), default=0)
    tables = models.PositiveIntegerField(_("tables"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start", "key"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="session_key_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_end_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=1), name="session_slot_positive"),
            models.CheckConstraint(condition=Q(tables__gte=1), name="session_has_tables"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}-{self.end:%H:%M} ({self.key})"

    def clean(self) -> None:
        # Within the event's dates (forms and the admin call this; imports check the same).
        if self.event_id is not None and self.date is not None:
            error = session_date_error(self.event.starts_on, self.event.ends_on, self.date)
            if error:
                raise ValidationError({"date": error})


class Slot(models.Model):
    """One meeting slot of a session: the unit the scheduler assigns and constraints guard."""

    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "session_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["session", "index"], name="slot_index_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.session.key} #{self.index} {self.starts_at:%Y-%m-%d %H:%M}"
