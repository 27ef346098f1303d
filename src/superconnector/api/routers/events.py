from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from superconnector.api.auth import caller_events, event_access
from superconnector.api.errors import READ_ERRORS, error_responses
from superconnector.api.pagination import LimitOffset
from superconnector.api.schemas import EventDetailOut, EventOut, Text

router = Router(tags=["events"])


@router.get(
    "/events",
    response={200: list[EventOut], **error_responses(401, 422)},
    summary="Events the caller takes part in",
)
@paginate(LimitOffset)
def list_events(request: HttpRequest):
    return caller_events(request).order_by("-starts_on", "slug")


@router.get(
    "/events/{slug}",
    response={200: EventDetailOut, **READ_ERRORS},
    summary="One event, with the caller's role",
)
def get_event(request: HttpRequest, slug: Text):
    return event_access(request, slug).event
