"""Calendar feed addresses that calendar apps can poll without a session.

The token is the participant's id signed with the site's secret (django.core.signing), so
it cannot be guessed or altered; it does not expire, because a subscription lives as long
as the event. Rotating SECRET_KEY (or the salt) revokes every feed address at once.

The address is a credential of the account it was shown to: it stops working when that
account is disabled (404), when the person is erased (410 Gone, for good), and, for
addresses that name the account (all issued since they do), when the person's record is
linked to another account.
"""

from __future__ import annotations

from django.core import signing

from superconnector.directory.models import Participant
from superconnector.events.models import Event

SALT = "superconnector.portal.calendar-feed"


class FeedGone(Exception):
    """The feed's person was erased: the address will never work again (HTTP 410)."""


def calendar_token(participant: Participant) -> str:
    return signing.dumps(
        [participant.event_id, participant.pk, participant.person.user_id], salt=SALT
    )


def participant_for_calendar_token(event: Event, token: str) -> Participant | None:
    """The participant whose feed `token` opens, or None if it opens none (a bad token,
    another event's, or an account that is disabled or no longer the person's).

    Raises FeedGone for an erased person."""
    try:
        event_id, participant_id, *account = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if event_id != event.pk:
        return None
    participant = (
        Participant.objects.select_related(
            "person__user", "event", "event_organisation__organisation"
        )
        .filter(event=event, pk=participant_id)
        .first()
    )
    if participant is None:
        return None
    person = participant.person
    if person.erased_at is not None:
        raise FeedGone
    # Tokens made before they named the account (two items) have no account to compare.
    if account and account[0] != person.user_id:
        return None
    if person.user is not None and not person.user.is_active:
        return None
    return participant
