from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from superconnector.api.auth import event_access
from superconnector.api.errors import RESTRICTED_READ_ERRORS
from superconnector.api.pagination import LimitOffset
from superconnector.api.queries import meetings_for, stored_schedule_document
from superconnector.api.schemas import MeetingFilters, MeetingOut, ScheduleOut, Text

router = Router(tags=["meetings"])


@router.get(
    "/events/{slug}/meetings",
    response={200: list[MeetingOut], **RESTRICTED_READ_ERRORS},
    summary="Scheduled meetings (delegates: their own, once the schedule is published)",
)
@paginate(LimitOffset)
def list_meetings(request: HttpRequest, slug: Text, filters: Query[MeetingFilters]):
    return meetings_for(event_access(request, slug), filters)


@router.get(
    "/events/{slug}/schedule",
    response={200: ScheduleOut, **RESTRICTED_READ_ERRORS},
    summary="The stored schedule in the exchange format's shape (organisers)",
)
def get_schedule(request: HttpRequest, slug: Text):
    access = event_access(request, slug)
    access.require_organiser()
    return stored_schedule_document(access)
