"""Organisations, participants and opportunities of an event."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from superconnector.api.auth import event_access
from superconnector.api.pagination import LimitOffset
from superconnector.api.queries import (
    opportunities_for,
    organisations_for,
    participant_by_key,
    participants_for,
)
from superconnector.api.schemas import (
    OpportunityFilters,
    OpportunityOut,
    OrganisationFilters,
    OrganisationOut,
    ParticipantFilters,
    ParticipantOut,
)

router = Router()


@router.get("/events/{slug}/organisations", response=list[OrganisationOut], tags=["organisations"])
@paginate(LimitOffset)
def list_organisations(request: HttpRequest, slug: str, filters: Query[OrganisationFilters]):
    return organisations_for(event_access(request, slug), filters)


@router.get("/events/{slug}/organisations/{key}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request: HttpRequest, slug: str, key: str):
    return get_object_or_404(organisations_for(event_access(request, slug)), key=key)


@router.get("/events/{slug}/participants", response=list[ParticipantOut], tags=["participants"])
@paginate(LimitOffset)
def list_participants(request: HttpRequest, slug: str, filters: Query[ParticipantFilters]):
    return participants_for(event_access(request, slug), filters)


@router.get("/events/{slug}/participants/{key}", response=ParticipantOut, tags=["participants"])
def get_participant(request: HttpRequest, slug: str, key: str):
    return participant_by_key(event_access(request, slug), key)


@router.get("/events/{slug}/opportunities", response=list[OpportunityOut], tags=["opportunities"])
@paginate(LimitOffset)
def list_opportunities(request: HttpRequest, slug: str, filters: Query[OpportunityFilters]):
    return opportunities_for(event_access(request, slug), filters)


@router.get("/events/{slug}/opportunities/{key}", response=OpportunityOut, tags=["opportunities"])
def get_opportunity(request: HttpRequest, slug: str, key: str):
    return get_object_or_404(opportunities_for(event_access(request, slug)), key=key)
