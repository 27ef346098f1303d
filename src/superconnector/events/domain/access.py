"""Who may do what in an event: the one place views and the API ask.

Roles, from the widest:
- platform staff hold every right in every event;
- organiser teams hold the rights their team grants, in their event only
  (`Right`: view, edit, export, schedule, check-in, teams);
- delegates act as their own participant and see what the predicates below let them;
- API tokens act for a team or for one delegate (see `api/auth.py`).

Everything here is a predicate or a filter (as in pretalx's rules): views and the API call
them and raise 404 on a refusal, so that nobody learns what exists in an event that is not
theirs.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from superconnector.directory.models import Participant
from superconnector.events.models import Event, Right, Team
from superconnector.matchmaking.models import OpportunityMatch

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


def visible_opportunities_q(viewer: Participant | None, *, organiser: bool, prefix: str = "") -> Q:
    """Which opportunities a caller may read.

    Confidential ones are for the organisers, the organisation that wrote them, and the
    delegates whose own opportunities the organisers' matching paired them with.
    """
    if organiser:
        return Q()
    visible = Q(**{f"{prefix}confidential": False})
    if viewer is None:
        return visible
    mine = viewer.event_organisation_id
    matched_needs = OpportunityMatch.objects.filter(offer__event_organisation_id=mine)
    matched_offers = OpportunityMatch.objects.filter(need__event_organisation_id=mine)
    return (
        visible
        | Q(**{f"{prefix}event_organisation_id": mine})
        | Q(**{f"{prefix}pk__in": matched_needs.values("need_id")})
        | Q(**{f"{prefix}pk__in": matched_offers.values("offer_id")})
    )


def accepted_counterpart_ids(viewer: Participant, *, sharing_contact: bool = False) -> set[int]:
    """The participants `viewer` has an accepted meeting with (in one query); with
    `sharing_contact`, only those who have not withdrawn the contact consent."""
    from superconnector.meetings.models import MeetingRequest, RequestStatus

    accepted = MeetingRequest.objects.filter(status=RequestStatus.ACCEPTED).order_by()
    asked = accepted.filter(sender=viewer)
    asked_me = accepted.filter(recipient=viewer)
    if sharing_contact:
        asked = asked.filter(recipient__person__contact_hidden=False)
        asked_me = asked_me.filter(sender__person__contact_hidden=False)
    return set(
        asked.values_list("recipient_id", flat=True).union(
            asked_me.values_list("sender_id", flat=True)
        )
    )


def contact_shared_ids(viewer: Participant) -> frozenset[int]:
    """Participants whose e-mail and phone `viewer` may see: their own, and those of the
    people they have an accepted meeting with (cards are exchanged), unless that person
    withdrew the consent to share contact details (`Person.contact_hidden`)."""
    return frozenset({viewer.pk, *accepted_counterpart_ids(viewer, sharing_contact=True)})
