from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Each asked separately and unticked: bundling them would not be free consent."""

    PROFILE = "profile", _("Show my profile to other delegates")
    CONTACT = "contact", _("Share my contact details with people I meet")
    CROSS_BORDER = (
        "cross_border",
        _("Transfer my data across borders (mainland, Hong Kong, abroad)"),
    )
    MARKETING = "marketing", _("Send me news of future events")


# What each answer changes, shown under its box: consent is informed, or it is not consent.
PURPOSE_DETAILS = {
    Purpose.PROFILE: _(
        "Your name, job title and organisation appear in this event's directory and "
        "recommendations, so that other delegates can find you and ask you for a meeting."
    ),
    Purpose.CONTACT: _(
        "Your e-mail address and phone number are shown only to delegates you have an "
        "accepted meeting with, on their agenda and business cards."
    ),
    Purpose.CROSS_BORDER: _(
        "Delegates and organisers of this event work in mainland China, Hong Kong and "
        "elsewhere; what you share with them reaches them where they are."
    ),
    Purpose.MARKETING: _(
        "The organisers may e-mail you about their future events. Without it you receive "
        "only mail about this event."
    ),
}


class ConsentRecord(models.Model):
    """One grant or withdrawal, never edited: the ledger is the history."""

    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    granted = models.BooleanField()
    version = models.CharField(_("text version"), max_length=32)
    channel = models.CharField(_("channel"), max_length=32)  # web, import, api, organiser
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "purpose", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {'granted' if self.granted else 'withdrawn'}"


class EventPurge(models.Model):
    """An event whose delegates' personal data was anonymised at the end of its retention
    (privacy/domain/retention.py), with what went; an event has at most one."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="personal_data_purge"
    )
    purged_at = models.DateTimeField(_("personal data purged at"))
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-purged_at"]

    def __str__(self) -> str:
        return f"{self.event_id} purged {self.purged_at:%Y-%m-%d %H:%M}"
