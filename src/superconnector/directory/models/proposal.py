from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the owner")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    # The field changed some other way before the owner decided: the proposal no longer
    # describes a change from what the record holds (directory/domain/ownership.py).
    SUPERSEDED = "superseded", _("Superseded")


class ProposalSource(models.TextChoices):
    IMPORT = "import", _("Import")
    BACKOFFICE = "backoffice", _("Back office")
    API = "api", _("API")
    # A delegate of the organisation who is not among its owners, on their profile form.
    PORTAL = "portal", _("Delegate's profile form")


class ProposedChange(models.Model):
    """A change an event wants on a shared organisation or person, awaiting its owner.

    Exactly one of `organisation` and `person` is set. Values are stored as JSON so that
    list fields (sectors, spoken languages) keep their shape.
    """

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    field = models.CharField(_("field"), max_length=32)
    old_value = models.JSONField(_("value when proposed"), null=True, blank=True)
    proposed_value = models.JSONField(_("proposed value"))
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="proposed_changes",
        verbose_name=_("proposing event"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=ProposalSource.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not stored: display texts set for the owner's page (portal/domain/profile.py).
    field_label: str
    current_text: str
    proposed_text: str

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, person__isnull=True)
                    | models.Q(organisation__isnull=True, person__isnull=False)
                ),
                name="proposedchange_one_record",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="proposal_org_status"),
            models.Index(fields=["person", "status"], name="proposal_person_status"),
        ]

    def __str__(self) -> str:
        record = f"{self.record_type}:{self.organisation_id or self.person_id}"
        return f"{record} {self.field} ({self.status})"

    @property
    def record(self):
        return self.organisation if self.organisation_id else self.person

    @property
    def record_type(self) -> str:
        return "organisation" if self.organisation_id else "person"
