from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import SingleLineFields, validate_key
from superconnector.directory.identity import fold_name, website_host
from superconnector.directory.labels import normalise_region, normalise_sectors
from superconnector.directory.models.choices import Language, OrganisationKind


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Organisation(SingleLineFields, models.Model):
    """A firm, body or institution, kept across events: the same firms come back every year."""

    name = models.CharField(_("name"), max_length=300)
    name_zh = models.CharField(_("Chinese name"), max_length=300, blank=True)
    # Case- and space-folded name, to recognise a returning organisation in a new event.
    name_key = models.CharField(max_length=300, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    website = models.URLField(_("website"), max_length=300, blank=True)
    website_host = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # In mails, badges, exports and calendar entries next to people's names.
    single_line_fields = ("name", "name_zh")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_identity()
        # 北京 and Beijing, 人工智能 and ai: one tag each, whoever writes (directory/labels.py).
        self.region = normalise_region(self.region)
        self.sectors = normalise_sectors(self.sectors)
        super().save(*args, **kwargs)

    def refresh_identity(self) -> None:
        """Recompute the folded name and website host that recognise a returning organisation."""
        self.name_key = fold_name(self.name)
        self.website_host = website_host(self.website)


class EventOrganisation(models.Model):
    """An organisation's participation in one event, under the event's exchange-file key."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="event_organisations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    key = models.CharField(_("key"), max_length=64, validators=[validate_key])
    # Organisers vet profiles before other delegates see them; imports are trusted.
    review_status = models.CharField(
        _("review"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("organisation in event")
        verbose_name_plural = _("organisations in events")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="eventorg_key_unique"),
            models.UniqueConstraint(
                fields=["event", "organisation"], name="eventorg_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.event.slug}"


class OrganisationOwner(models.Model):
    """A person platform staff marked as an owner of an organisation.

    Most owners need no mark: a delegate whose address is at the organisation's website, or
    who attended for it in the event that first brought it onto the platform, owns it
    (directory/domain/ownership.py). This is for the others, e.g. a firm without a website
    whose first event's delegates have moved on. The person still needs an active account
    and to take part for the organisation in some event. Marks are made in the Django admin
    and written to the audit log of every event that shows the organisation.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="staff_marked_owners"
    )
    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="owned_organisations"
    )
    note = models.CharField(_("why"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "person"]
        verbose_name = _("organisation owner marked by staff")
        verbose_name_plural = _("organisation owners marked by staff")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], name="organisationowner_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} owns {self.organisation}"
