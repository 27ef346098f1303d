"""Who is calling and what they may see of an event.

Two ways in: an API token (`Authorization: Bearer sc_…`) for other systems, and the
browser session for signed-in users (with Django's CSRF check on unsafe methods, since a
cookie is sent by the browser whatever page made the request).

Every event-scoped endpoint starts with `event_access(request, slug)`: it returns what the
caller is in that event (organiser, delegate or both) and raises 404 for an event the
caller has nothing to do with, so that other events' existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import cast

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from superconnector.api.domain.tokens import token_for
from superconnector.api.errors import ApiError
from superconnector.api.models import ApiToken
from superconnector.core.models import User
from superconnector.directory.domain.participants import participant_for
from superconnector.directory.domain.visibility import visible_organisations_q, visible_people_q
from superconnector.directory.models import Participant
from superconnector.events.domain.access import event_rights, organised_events, sees_every_contact
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event, Right
from superconnector.matchmaking.domain.visibility import visible_opportunities_q
from superconnector.meetings.domain.contacts import contact_shared_ids


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: a signed-in user, or a token (with its user, if any)."""

    user: User | None
    token: ApiToken | None = None


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = token_for(token)
        if found is None:
            return None
        return Caller(user=found.user, token=found)


class SessionAuth(APIKeyCookie):
    """Django's session, with the CSRF check on unsafe methods.

    Unlike Ninja's own SessionAuth, the CSRF check runs only once a user is signed in, so
    an anonymous POST is told to authenticate (401) rather than that its CSRF token is
    missing.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie."),
            )
        return Caller(user=user)


AUTH = [TokenAuth(), SessionAuth()]


@dataclass
class EventAccess:
    """What the caller is in one event: what they may read and as whom they may act."""

    event: Event
    rights: frozenset[str]
    participant: Participant | None
    actor: object | None = None
    source: str = "api"
    # Set by endpoints that list many people: contact details in bulk take the export right.
    in_bulk: bool = False

    @property
    def organiser(self) -> bool:
        """Organisers read the whole event; every team has the view right at least."""
        return Right.VIEW in self.rights

    @property
    def role(self) -> str:
        return "organiser" if self.organiser else "delegate"

    def require_organiser(self, right: str = Right.VIEW) -> None:
        if right not in self.rights:
            raise ApiError(
                403,
                "not_organiser",
                _("Only the event's organisers with the %(right)s right may do this.")
                % {"right": Right(right).label},
            )

    def record_organiser_read(self, subject: str) -> None:
        """Organisers' reads of personal data go to the audit log (delegates see only
        public profiles, which is what the event is for)."""
        if self.organiser:
            record_audit(self.actor, "view", subject, event=self.event, source=self.source)

    def visible_opportunities_q(self, prefix: str = "") -> Q:
        """Opportunities of organisations the caller sees, confidential ones as the rule
        allows (directory/domain/visibility.py)."""
        return visible_opportunities_q(self.participant, organiser=self.organiser, prefix=prefix)

    def require_participant(self) -> Participant:
        if self.participant is None:
            raise ApiError(
                403,
                "not_delegate",
                _("Only a delegate of the event can do this, and only as themselves."),
            )
        return self.participant

    def visible_organisations_q(self, prefix: str = "") -> Q:
        """Which organisations of the event the caller sees (directory/domain/visibility.py):
        all for organisers; for delegates, the listed ones and their own."""
        return visible_organisations_q(self.participant, organiser=self.organiser, prefix=prefix)

    def visible_people_q(self, prefix: str = "") -> Q:
        """Which participants the caller sees (directory/domain/visibility.py): all for
        organisers; for delegates, listed people, themselves and their colleagues."""
        return visible_people_q(self.participant, organiser=self.organiser, prefix=prefix)

    @cached_property
    def contact_ids(self) -> frozenset[int] | None:
        """Participants whose e-mail and phone the caller may see; None means everyone.

        An organiser without the export right reading a list falls back to what they
        would see as a delegate of the event, if they are one."""
        if sees_every_contact(self.rights, in_bulk=self.in_bulk):
            return None
        if self.participant is None:
            return frozenset()
        return contact_shared_ids(self.participant)

    def may_see_contact(self, participant_id: int) -> bool:
        ids = self.contact_ids
        return ids is None or participant_id in ids


class ApiRequest(HttpRequest):
    """A request the API has authenticated: ninja sets `auth` to the Caller, event_access
    keeps the EventAccess for the response schemas. An annotation only (never built)."""

    auth: Caller
    api_access: EventAccess


def event_access(request: HttpRequest, slug: str) -> EventAccess:
    """The caller's access to event `slug`, or 404 if they have none (or it does not exist).

    The result is also kept on the request, where response schemas read it to decide which
    fields to show.
    """
    api_request = cast(ApiRequest, request)
    caller = api_request.auth
    if caller.token is not None:
        token = caller.token
        if token.event.slug != slug:
            raise Http404
        access = EventAccess(
            event=token.event,
            rights=token.team.rights if token.team else frozenset(),
            participant=token.participant,
            actor=token.user or (token.participant.person.user if token.participant else None),
            source="api-token",
        )
    else:
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise Http404
        rights = event_rights(caller.user, event)
        participant = participant_for(caller.user, event)
        if not rights and participant is None:
            raise Http404
        access = EventAccess(event=event, rights=rights, participant=participant, actor=caller.user)
    if access.participant is not None:
        # The participant row came with its event loaded separately; share the one object
        # so that the domain functions do not fetch it again.
        access.participant.event = access.event
    api_request.api_access = access
    return access


def caller_events(request: HttpRequest):
    """The events the caller may open through the API."""
    caller = cast(ApiRequest, request).auth
    if caller.token is not None:
        return Event.objects.filter(pk=caller.token.event_id)
    user = caller.user
    if user is None:  # only a token may have no user
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    return Event.objects.filter(
        Q(pk__in=organised_events(user).values("pk")) | Q(participants__person__user=user)
    ).distinct()
