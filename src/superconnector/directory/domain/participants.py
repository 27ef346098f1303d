"""A signed-in account's own participation in an event (the portal, the event page)."""

from __future__ import annotations

from superconnector.directory.models import Participant
from superconnector.events.domain.access import is_signed_in
from superconnector.events.models import Event


def participant_for(user, event: Event) -> Participant | None:
    """The user's own participation in `event`, or None."""
    if not is_signed_in(user):
        return None
    return (
        Participant.objects.select_related(
            "person__user", "event_organisation__organisation", "event"
        )
        .filter(event=event, person__user=user)
        .first()
    )
