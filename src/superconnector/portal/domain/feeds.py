"""Calendar feed addresses that calendar apps can poll without a session.

The token is the participant's id signed with the site's secret (django.core.signing), so
it cannot be guessed or altered; it does not expire, because a subscription lives as long
as the event. Rotating SECRET_KEY (or the salt) revokes every feed address at once.
"""

from __future__ import annotations

from django.core import signing

from superconnector.directory.models import Participant
from superconnector.events.models import Event

SALT = "superconnector.portal.calendar-feed"


def calendar_token(participant: Participant) -> str:
    return signing.dumps([participant.event_id, participant.pk], salt=SALT)


def participant_for_calendar_token(event: Event, token: str) -> Participant | None:
    try:
        event_id, participant_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if event_id != event.pk:
        return None
    return (
        Participant.objects.select_related("person", "event", "event_organisation__organisation")
        .filter(event=event, pk=participant_id)
        .first()
    )
