"""Organisations, participants and opportunities of an event."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from superconnector.api.auth import event_access
from superconnector.api.errors import READ_ERRORS
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
    Text,
)

router = Router()


@router.get(
    "/events/{slug}/organisations",
    response={200: list[OrganisationOut], **READ_ERRORS},
    tags=["organisations"],
)
@paginate(LimitOffset)
def list_organisations(request: HttpRequest, slug: Text, filters: Query[OrganisationFilters]):
    return organisations_for(event_access(request, slug), filters)


@router.get(
    "/events/{slug}/organisations/{key}",
    response={200: OrganisationOut, **READ_ERRORS},
    tags=["organisations"],
)
def get_organisation(request: HttpRequest, slug: Text, key: Text):
    return get_object_or_404(organisations_for(event_access(request, slug)), key=key)


@router.get(
    "/events/{slug}/participants",
    response={200: list[ParticipantOut], **READ_ERRORS},
    tags=["participants"],
)
@paginate(LimitOffset)
def list_participants(request: HttpRequest, slug: Text, filters: Query[ParticipantFilters]):
    access = event_access(request, slug)
    access.in_bulk = True
    access.record_organiser_read("participants")
    return participants_for(access, filters)


@router.get(
    "/events/{slug}/participants/{key}",
    response={200: ParticipantOut, **READ_ERRORS},
    tags=["participants"],
)
def get_participant(request: HttpRequest, slug: Text, key: Text):
    access = event_access(request, slug)
    access.record_organiser_read(f"participant:{key}")
    return participant_by_key(access, key)


@router.get(
    "/events/{slug}/opportunities",
    response={200: list[OpportunityOut], **READ_ERRORS},
    tags=["opportunities"],
)
@paginate(LimitOffset)
def list_opportunities(request: HttpRequest, slug: Text, filters: Query[OpportunityFilters]):
    return opportunities_for(event_access(request, slug), filters)


@router.get(
    "/events/{slug}/opportunities/{key}",
    response={200: OpportunityOut, **READ_ERRORS},
    tags=["opportunities"],
)
def get_opportunity(request: HttpRequest, slug: Text, key: Text):
    return get_object_or_404(opportunities_for(event_access(request, slug)), key=key)
