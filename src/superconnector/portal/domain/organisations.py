"""An organisation's page for delegates: whole description, people, opportunities, history."""

from __future__ import annotations

from dataclasses import dataclass, field

from superconnector.directory.domain.visibility import (
    visible_organisations_q,
    visible_participants,
)
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.events.models import Event
from superconnector.matchmaking.domain.visibility import visible_opportunities
from superconnector.meetings.domain.history import PastMeetings, find_meetings_between


@dataclass
class OrganisationProfile:
    link: EventOrganisation
    people: list[Participant] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    met_before: list[PastMeetings] = field(default_factory=list)


def load_organisation_profile(
    event: Event, viewer: Participant, key: str
) -> OrganisationProfile | None:
    """The organisation `key` of the event as the delegate `viewer` may see it; None when the
    viewer may not see it at all (not listed, hidden, another event's)."""
    link = (
        EventOrganisation.objects.filter(event=event)
        .filter(visible_organisations_q(viewer))
        .select_related("organisation")
        .filter(key=key)
        .first()
    )
    if link is None:
        return None
    people = (
        visible_participants(viewer)
        .filter(event_organisation=link)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    opportunities = (
        visible_opportunities(viewer).filter(event_organisation=link).order_by("direction", "title")
    )
    met_before = []
    if link.pk != viewer.event_organisation_id:
        mine = EventOrganisation.objects.select_related("organisation").get(
            pk=viewer.event_organisation_id
        )
        met_before = find_meetings_between(mine.organisation, link.organisation)
    return OrganisationProfile(
        link=link, people=list(people), opportunities=list(opportunities), met_before=met_before
    )
