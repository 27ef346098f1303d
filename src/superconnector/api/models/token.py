from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token another system uses to call the API for one event.

    It acts either for an organiser team (with that team's rights in its event) or for one
    delegate (participant: the public profiles of their event, and acting as that person).
    A team token outlives any one member; `user` records who issued it, and a token whose
    issuer has been disabled stops working.
    Only a hash is stored, so a leaked database does not leak working tokens; the token
    itself is shown once, when it is created.
    """

    name = models.CharField(_("name"), max_length=100)
    # SHA-256 of the whole token: tokens are long random strings, so no salt or slow hash
    # is needed, and a lookup by hash stays one indexed query per API call.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, to tell tokens apart in lists without revealing them.
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("event")
    )
    team = models.ForeignKey(
        "events.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("team"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("issued by"),
    )
    participant = models.ForeignKey(
        "directory.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("delegate"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False, participant__isnull=True)
                | Q(team__isnull=True, participant__isnull=False),
                name="api_token_team_or_delegate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_organiser_token(self) -> bool:
        return self.team_id is not None
