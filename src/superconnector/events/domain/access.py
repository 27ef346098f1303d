"""Who may do what in an event: the one place views and the API ask.

Issue 6 refines this into per-team rights; until then an organiser is platform staff or
one of the event's organisers, and a delegate is a participant whose person is the user.
"""

from __future__ import annotations

from django.db.models import QuerySet

from superconnector.directory.models import Participant
from superconnector.events.models import Event


def is_organiser(user, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_staff or event.organisers.filter(pk=user.pk).exists()


def organised_events(user) -> QuerySet[Event]:
    """Events whose back office `user` may open."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    return Event.objects.filter(organisers=user)


def participant_for(user, event: Event) -> Participant | None:
    """The user's own participation in `event`, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        Participant.objects.select_related("person", "event_organisation__organisation", "event")
        .filter(event=event, person__user=user)
        .first()
    )
