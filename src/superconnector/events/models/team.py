from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Right(models.TextChoices):
    """What a team may do in its event's back office; each is granted separately.

    Reading personal data is itself a right ("view"): the check-in desk needs names and
    badges but not the whole directory export, and an analyst may read the dashboard
    without being able to change the schedule.
    """

    VIEW = "view", _("View delegates and the dashboard")
    EDIT = "edit", _("Edit the event, sessions, imports, profiles and invitations")
    EXPORT = "export", _("Export data")
    SCHEDULE = "schedule", _("Run matching and scheduling, and publish")
    CHECK_IN = "check_in", _("Check delegates in and print badges")
    TEAMS = "teams", _("Manage teams and their rights")


class Team(models.Model):
    """A group of organisers of one event with a set of rights (as in pretalx's teams)."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="teams", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("members")
    )
    can_view = models.BooleanField(_("view"), default=True)
    can_edit = models.BooleanField(_("edit"), default=False)
    can_export = models.BooleanField(_("export"), default=False)
    can_schedule = models.BooleanField(_("schedule"), default=False)
    can_check_in = models.BooleanField(_("check-in"), default=False)
    # Separate from "edit": whoever may change rights could otherwise grant themselves any.
    can_teams = models.BooleanField(_("manage teams"), default=False)

    class Meta:
        ordering = ["event_id", "name"]
        verbose_name = _("organiser team")
        verbose_name_plural = _("organiser teams")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.name}"

    @property
    def rights(self) -> frozenset[str]:
        return frozenset(right for right in Right.values if getattr(self, f"can_{right}"))

    @property
    def right_labels(self) -> list["StrOrPromise"]:
        return [label for value, label in Right.choices if value in self.rights]
