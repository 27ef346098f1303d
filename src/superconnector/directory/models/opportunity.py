from django.db import models
from django.utils.translation import gettext_lazy as _

from superconnector.core.validators import validate_key
from superconnector.directory.labels import normalise_regions, normalise_sectors
from superconnector.directory.models.choices import Category, Direction, Language


class Opportunity(models.Model):
    """Something an organisation offers or needs at an event."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="opportunities"
    )
    event_organisation = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="opportunities"
    )
    key = models.CharField(_("key"), max_length=64, validators=[validate_key])
    direction = models.CharField(_("offer or need"), max_length=8, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    # A business plan or an unpublished result: only organisers see it, and the delegates
    # their matching pairs it with (see matchmaking/domain/visibility.confidential_opportunities_q).
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Shown only to the organisers and to delegates they match you with."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name_plural = _("opportunities")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="opportunity_key_unique"),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values), name="opportunity_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.direction}] {self.title}"

    def save(self, *args, **kwargs) -> None:
        # 北京 and Beijing, 人工智能 and ai: one tag each, whoever writes (directory/labels.py).
        self.sectors = normalise_sectors(self.sectors)
        self.regions = normalise_regions(self.regions)
        super().save(*args, **kwargs)
