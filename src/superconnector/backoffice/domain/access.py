"""Who may open which back-office page: the event's organisers (and platform staff)."""

from __future__ import annotations

from django.http import Http404

from superconnector.events.domain.access import is_organiser, organised_events
from superconnector.events.models import Event


def organised_event_or_404(user, slug: str) -> Event:
    """The event if `user` organises it; otherwise 404, so that nobody learns it exists."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or not is_organiser(user, event):
        raise Http404("no such event")
    return event


def may_create_events(user) -> bool:
    """Platform staff, and people who already run an event, may set up new ones."""
    return organised_events(user).exists()
