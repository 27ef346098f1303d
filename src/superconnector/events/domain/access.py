"""Who may do what in an event: the one place views and the API ask.

Roles, from the widest:
- platform staff hold every right in every event;
- organiser teams hold the rights their team grants, in their event only
  (`Right`: view, edit, export, schedule, check-in, teams);
- delegates act as their own participant and see what the visibility rules let them
  (directory/domain/visibility.py; confidential opportunities in
  matchmaking/domain/visibility.py; contact details in meetings/domain/contacts.py);
- API tokens act for a team or for one delegate (see `api/auth.py`).

Everything here is a predicate or a filter (as in pretalx's rules): views and the API call
them and raise 404 on a refusal, so that nobody learns what exists in an event that is not
theirs.
"""

from __future__ import annotations

from django.db.models import QuerySet

from superconnector.events.models import Event, Right, Team

ALL_RIGHTS = frozenset(Right.values)

# Per-user cache of rights by event id, kept on the user object for one request: a page
# asks several times (the decorator, the subnav, the template) and rights do not change
# within a request.
_CACHE_ATTRIBUTE = "_superconnector_event_rights"


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def event_rights(user, event: Event) -> frozenset[str]:
    """The rights `user` holds in `event`'s back office: all for staff, else their teams'."""
    if not is_signed_in(user):
        return frozenset()
    if user.is_staff:
        return ALL_RIGHTS
    cache = user.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
    if event.pk not in cache:
        teams = Team.objects.filter(event=event, members=user)
        cache[event.pk] = frozenset().union(*(team.rights for team in teams))
    return cache[event.pk]


def has_right(user, event: Event, right: str) -> bool:
    return right in event_rights(user, event)


def is_organiser(user, event: Event) -> bool:
    """Whether `user` is in any of `event`'s teams (or is staff): back office opens."""
    return bool(event_rights(user, event))


def organised_events(user) -> QuerySet[Event]:
    """Events whose back office `user` may open."""
    if not is_signed_in(user):
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    return Event.objects.filter(pk__in=Team.objects.filter(members=user).values("event_id"))


def organises_any_event(user) -> bool:
    """Whether `user` may open some event's back office (staff included)."""
    return organised_events(user).exists()


def add_organiser(event: Event, user, rights=ALL_RIGHTS, team_name: str = "Organisers") -> Team:
    """Put `user` in the event's team `team_name`, creating it with `rights` if needed."""
    team, _ = Team.objects.get_or_create(
        event=event,
        name=team_name,
        defaults={f"can_{right}": right in rights for right in Right.values},
    )
    team.members.add(user)
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)
    return team


def sees_every_contact(rights: frozenset[str], *, in_bulk: bool) -> bool:
    """Whether an organiser with `rights` reads every delegate's e-mail and phone.

    One delegate at a time, the view right is enough (the check-in desk, a phone call). A
    list of them is an export by other means: that takes the export right, or the
    separate right would mean nothing.
    """
    return Right.VIEW in rights and (not in_bulk or Right.EXPORT in rights)
