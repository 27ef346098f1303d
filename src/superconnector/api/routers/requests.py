"""Meeting requests: read them, and send or answer them as oneself (the workflow's rules and
refusals live in meetings.domain.requests)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from superconnector.api.auth import EventAccess, event_access
from superconnector.api.errors import (
    ACTION_ERRORS,
    RESTRICTED_READ_ERRORS,
    WRITE_ERRORS,
    field_error,
)
from superconnector.api.pagination import LimitOffset
from superconnector.api.queries import participants_for, request_by_key, requests_for
from superconnector.api.schemas import (
    DeclineIn,
    MeetingRequestFilters,
    MeetingRequestIn,
    MeetingRequestOut,
    Text,
)
from superconnector.meetings.domain.expiry import expire_before_reading
from superconnector.meetings.domain.repair import accept_and_place, cancel_and_offer
from superconnector.meetings.domain.requests import (
    decline_request,
    send_request,
)
from superconnector.meetings.models import MeetingRequest

router = Router(tags=["meeting requests"])


def _fresh(access: EventAccess, request: MeetingRequest) -> MeetingRequest:
    """The request re-read with its people, as the response shows them."""
    return requests_for(access).get(pk=request.pk)


@router.get(
    "/events/{slug}/meeting-requests",
    response={200: list[MeetingRequestOut], **RESTRICTED_READ_ERRORS},
)
@paginate(LimitOffset)
def list_requests(request: HttpRequest, slug: Text, filters: Query[MeetingRequestFilters]):
    access = event_access(request, slug)
    # Past the deadline nothing is pending, even before the expiry task has run.
    expire_before_reading(access.event)
    return requests_for(access, filters)


@router.post(
    "/events/{slug}/meeting-requests",
    response={200: MeetingRequestOut, 201: MeetingRequestOut, **WRITE_ERRORS},
    summary="Ask someone for a meeting, as oneself",
    description=(
        "201 with the new request; 200 with the recipient's own pending request to the "
        "caller, now accepted, when both asked each other."
    ),
)
def create_request(request: HttpRequest, slug: Text, payload: MeetingRequestIn):
    access = event_access(request, slug)
    sender = access.require_participant()
    recipient = participants_for(access).filter(key=payload.recipient).first()
    if recipient is None:
        raise field_error(
            ["body", "payload", "recipient"],
            _("No participant with this key in the event."),
            "not_found",
        )
    made = send_request(
        sender,
        recipient,
        message=payload.message,
        priority=payload.priority,
        actor=access.actor,
        source=access.source,
    )
    return Status(201 if made.sender_id == sender.pk else 200, _fresh(access, made))


@router.get(
    "/events/{slug}/meeting-requests/{key}",
    response={200: MeetingRequestOut, **RESTRICTED_READ_ERRORS},
)
def get_request(request: HttpRequest, slug: Text, key: Text):
    access = event_access(request, slug)
    expire_before_reading(access.event)
    return request_by_key(access, key)


@router.post(
    "/events/{slug}/meeting-requests/{key}/accept",
    response={200: MeetingRequestOut, **ACTION_ERRORS},
)
def accept(request: HttpRequest, slug: Text, key: Text):
    access = event_access(request, slug)
    me = access.require_participant()
    answered = accept_and_place(
        request_by_key(access, key), by=me, actor=access.actor, source=access.source
    ).request
    return _fresh(access, answered)


@router.post(
    "/events/{slug}/meeting-requests/{key}/decline",
    response={200: MeetingRequestOut, **WRITE_ERRORS},
)
def decline(request: HttpRequest, slug: Text, key: Text, payload: DeclineIn | None = None):
    access = event_access(request, slug)
    me = access.require_participant()
    answered = decline_request(
        request_by_key(access, key),
        by=me,
        reason=payload.reason if payload else "",
        actor=access.actor,
        source=access.source,
    )
    return _fresh(access, answered)


@router.post(
    "/events/{slug}/meeting-requests/{key}/cancel",
    response={200: MeetingRequestOut, **ACTION_ERRORS},
)
def cancel(request: HttpRequest, slug: Text, key: Text):
    access = event_access(request, slug)
    me = access.require_participant()
    cancelled = cancel_and_offer(
        request_by_key(access, key), by=me, actor=access.actor, source=access.source
    ).request
    return _fresh(access, cancelled)
