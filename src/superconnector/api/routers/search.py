"""Search as the portal's directory searches: opportunities, organisations and people of an
event, best first, paged (matchmaking/domain/search.py)."""

from django.http import HttpRequest
from ninja import Query, Router

from superconnector.api.auth import event_access
from superconnector.api.errors import RESTRICTED_READ_ERRORS
from superconnector.api.queries import search_for
from superconnector.api.schemas import (
    OpportunitySearchFilters,
    OpportunitySearchOut,
    OrganisationSearchFilters,
    OrganisationSearchOut,
    ParticipantSearchOut,
    SearchFilters,
    Text,
)

router = Router(tags=["search"])


@router.get(
    "/events/{slug}/search/opportunities",
    response={200: OpportunitySearchOut, **RESTRICTED_READ_ERRORS},
    summary="Search opportunities as a delegate (the portal's directory search)",
)
def search_opportunities(
    request: HttpRequest, slug: Text, filters: Query[OpportunitySearchFilters]
):
    return search_for(event_access(request, slug), "opportunities", filters)


@router.get(
    "/events/{slug}/search/organisations",
    response={200: OrganisationSearchOut, **RESTRICTED_READ_ERRORS},
    summary="Search organisations as a delegate (the portal's directory search)",
)
def search_organisations(
    request: HttpRequest, slug: Text, filters: Query[OrganisationSearchFilters]
):
    return search_for(event_access(request, slug), "organisations", filters)


@router.get(
    "/events/{slug}/search/people",
    response={200: ParticipantSearchOut, **RESTRICTED_READ_ERRORS},
    summary="Search people as a delegate (the portal's directory search)",
)
def search_people(request: HttpRequest, slug: Text, filters: Query[SearchFilters]):
    return search_for(event_access(request, slug), "people", filters)
