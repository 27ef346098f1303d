"""Who may open which back-office page: the event's teams, by right (and platform staff)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from superconnector.events.domain.access import event_rights, organised_events
from superconnector.events.models import Event, Right


class RightMissing(Exception):
    """An organiser of the event opened a page their team's rights do not cover."""

    def __init__(self, right: str):
        self.right = right
        super().__init__(
            _("Your team does not have the “%(right)s” right in this event.")
            % {"right": Right(right).label}
        )


def organised_event_or_404(user, slug: str, right: str | None = None) -> Event:
    """The event if `user` holds `right` in it (any right if None).

    Someone with no right at all gets a 404, so that nobody learns the event exists; an
    organiser lacking this one right is told so (RightMissing, shown as a 403).
    """
    event = Event.objects.filter(slug=slug).first()
    rights = event_rights(user, event) if event is not None else frozenset()
    if not rights:
        raise Http404("no such event")
    if right is not None and right not in rights:
        raise RightMissing(right)
    return event


def may_create_events(user) -> bool:
    """Platform staff, and people who already run an event, may set up new ones."""
    return organised_events(user).exists()
