import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import SingleLineFields, validate_key
from superconnector.events.validators import sessions_outside_errors


# The codes of vocabulary.EVENT_KINDS, in its order (tests/core/test_vocabulary.py).
class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    ROUNDTABLE = "roundtable", _("Roundtable")
    FAIR = "fair", _("Fair")
    EXPO = "expo", _("Expo")
    DELEGATION = "delegation", _("Delegation")
    CONFERENCE = "conference", _("Conference")
    ONLINE = "online", _("Online")


class Event(SingleLineFields, models.Model):
    slug = models.CharField(_("slug"), max_length=64, unique=True, validators=[validate_key])
    name = models.CharField(_("name"), max_length=300)
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Hong_Kong")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Meeting requests: unanswered ones block people's time, so they lapse at a deadline,
    # and nobody may hold more than a handful open at once.
    request_deadline = models.DateTimeField(
        _("meeting requests close at"),
        null=True,
        blank=True,
        help_text=_("Pending requests expire then, and no new ones can be sent."),
    )
    max_pending_requests = models.PositiveSmallIntegerField(
        _("open requests per delegate"),
        default=20,
        help_text=_("How many unanswered requests one delegate may have sent at a time."),
    )
    # When the organiser last published the schedule: delegates see their agenda from then.
    schedule_published_at = models.DateTimeField(_("schedule published at"), null=True, blank=True)
    # Storage limitation (GDPR, PIPL, PDPO): delegates' personal data of this event is
    # purged this many days after it ends, by `superconnector purge_expired`.
    retention_days = models.PositiveSmallIntegerField(
        _("keep personal data for (days after the event)"),
        default=180,
        help_text=_("Delegates' personal data of this event is anonymised after this."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # In mail subjects ("Your invitation to …"), calendar names and badges.
    single_line_fields = ("name", "name_zh", "venue")

    class Meta:
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # New dates must still hold every meeting session (forms and the admin call this).
        dates_valid = self.starts_on and self.ends_on and self.starts_on <= self.ends_on
        if dates_valid and self._dates_changed():
            sessions = self.sessions.order_by("date", "key")
            errors = sessions_outside_errors(sessions, self.starts_on, self.ends_on)
            if errors:
                raise ValidationError(errors)

    def _dates_changed(self) -> bool:
        """Whether the dates differ from the stored ones. Dates left as they are raise
        nothing, so that a session put outside before the rule existed does not stop the
        organiser from changing other settings (its own form asks to move it)."""
        if self.pk is None:
            return False
        stored = Event.objects.filter(pk=self.pk).values_list("starts_on", "ends_on").first()
        return stored != (self.starts_on, self.ends_on)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
