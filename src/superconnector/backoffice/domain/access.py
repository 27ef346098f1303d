"""Who may open which back-office page: the event's teams, by right (and platform staff)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from superconnector.events.domain.access import event_rights, is_signed_in, organised_events
from superconnector.events.domain.audit import record_audit
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
    if event is None or not rights:
        raise Http404("no such event")
    if right is not None and right not in rights:
        raise RightMissing(right)
    return event


class EventCreationRefused(Exception):
    """An organiser without the platform right to create events asked to create one."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "You may not create events: creating events is a right platform staff "
                "grant. Ask them if you need it."
            )
        )


def may_create_events(user) -> bool:
    """Platform staff, and people staff granted the right (`User.can_create_events`).

    Being in some event's team is not enough: whoever creates an event holds every right
    in it, so a check-in volunteer must not be able to make themselves a full organiser.
    """
    if not is_signed_in(user):
        return False
    return bool(user.is_staff or user.can_create_events)


def record_event_created(event: Event, user) -> None:
    """Write the new event to its audit log: who created it holds every right in it."""
    record_audit(user, "create", f"event:{event.slug}", event=event)


def check_may_create_events(user) -> None:
    """Raise Http404 for people who organise nothing and are not granted the right (the
    back office is none of their business), EventCreationRefused (a 403 that says why) for
    organisers without the right."""
    if may_create_events(user):
        return
    if not organised_events(user).exists():
        raise Http404("not an organiser")
    raise EventCreationRefused()
