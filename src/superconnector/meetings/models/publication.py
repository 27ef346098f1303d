from django.conf import settings
from django.db import models


class SchedulePublication(models.Model):
    """One publication of an event's schedule, with the agendas as announced: the next
    publication e-mails only what changed since.

    The table keeps the name it had in the back office, where it began.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()
    snapshot = models.JSONField(default=dict, blank=True)
    mailed = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "backoffice_schedulepublication"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"schedule of event {self.event_id} published {self.published_at:%Y-%m-%d %H:%M}"
