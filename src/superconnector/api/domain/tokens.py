"""API tokens: issue one (shown once), recognise it on each call, revoke it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.api.models import ApiToken
from superconnector.directory.models import Participant
from superconnector.events.domain.access import has_right
from superconnector.events.models import Event, Right, Team

TOKEN_PREFIX = "sc_"
# Characters kept in clear to tell tokens apart: "sc_" and 7 random ones.
PREFIX_LENGTH = 10
# Recording every call would turn each read into a write; a minute is precise enough to
# tell an organiser which tokens are still in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The token cannot be issued as asked; the message says why."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(
    name: str,
    *,
    event: Event,
    team: Team | None = None,
    participant: Participant | None = None,
    issued_by=None,
) -> tuple[ApiToken, str]:
    """Create a token for an organiser team of `event` or for one of its delegates.

    A team token is issued by someone who may manage the event's teams (or by the command
    line, `issued_by=None`). Returns the stored row and the token itself, which is not
    kept anywhere: the caller shows it once.
    """
    if (team is None) == (participant is None):
        raise TokenRefused(_("A token belongs either to an organiser team or to a delegate."))
    if team is not None and team.event_id != event.pk:
        raise TokenRefused(
            _("Team %(team)s is not a team of %(event)s.")
            % {"team": team.name, "event": event.slug}
        )
    if issued_by is not None and not has_right(issued_by, event, Right.TEAMS):
        raise TokenRefused(
            _("%(user)s may not issue tokens for %(event)s.")
            % {"user": issued_by, "event": event.slug}
        )
    if participant is not None and participant.event_id != event.pk:
        raise TokenRefused(
            _("%(participant)s does not take part in %(event)s.")
            % {"participant": participant.key, "event": event.slug}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip() or _("API token"),
        token_hash=hash_token(raw),
        prefix=raw[:PREFIX_LENGTH],
        event=event,
        team=team,
        user=issued_by,
        participant=participant,
    )
    return token, raw


def token_for(raw: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token `raw` stands for, or None; notes that it was used.

    A team token stops working as soon as whoever issued it is deactivated, and a delegate
    token as soon as the delegate's account is, without anyone having to revoke it.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related(
            "event",
            "team",
            "user",
            "participant__person__user",
            "participant__event_organisation__organisation",
        )
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    if token.user is not None and not token.user.is_active:
        return None
    # A delegate token dies with its delegate's account too: disabling a user must cut off
    # every way in, not only the browser session.
    delegate_user = token.participant.person.user if token.participant is not None else None
    if delegate_user is not None and not delegate_user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_token(token: ApiToken, *, now: dt.datetime | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
