from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import SingleLineFields, validate_key
from superconnector.directory.models.choices import Role


class Person(SingleLineFields, models.Model):
    """A person, recognised across events by e-mail, so that history ("met before") survives."""

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The name in Chinese characters (陈浩然) beside the Latin one: badges print both, the
    # Chinese interface shows it, check-in finds it.
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    languages = models.JSONField(_("spoken languages"), default=list, blank=True)
    # Kept in step with the consent ledger (privacy app) so every listing can filter on it
    # cheaply: a withdrawn "show my profile" consent hides the person at once.
    profile_hidden = models.BooleanField(_("profile hidden"), default=False)
    # Likewise for "share my contact details with people I meet": withdrawn, the e-mail and
    # phone stay hidden even from the people they have an accepted meeting with.
    contact_hidden = models.BooleanField(_("contact details withheld"), default=False)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # In mail subjects ("Amy Leung would like to meet you"), badges and calendar entries.
    single_line_fields = ("name", "name_zh", "title")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Participant(models.Model):
    """A person attending one event for one organisation."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    event_organisation = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="participants"
    )
    key = models.CharField(_("key"), max_length=64, validators=[validate_key])
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.DELEGATE)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Marked by the organiser on the day: their meetings are freed for others.
    absent = models.BooleanField(_("absent"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="participant_key_unique"),
            # One registration per person per event: the e-mail is unique within the event.
            models.UniqueConstraint(fields=["event", "person"], name="participant_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} ({self.event_organisation.organisation})"

    @property
    def organisation(self):
        return self.event_organisation.organisation
