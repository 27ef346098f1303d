"""Figures about an event for its public page, the demo command and organisers."""

from collections import Counter
from dataclasses import dataclass, field

from superconnector.directory.domain.languages import text_language_label
from superconnector.directory.domain.visibility import (
    listed_links,
    listed_opportunities,
    listed_participants,
)
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    OrganisationKind,
    Participant,
)
from superconnector.events.models import Event, MeetingSession
from superconnector.meetings.models import Meeting, MeetingRequest


@dataclass
class EventSummary:
    organisations: int
    participants: int
    opportunities: int
    organisations_by_kind: dict[str, int] = field(default_factory=dict)
    organisations_by_region: dict[str, int] = field(default_factory=dict)
    opportunities_by_language: dict[str, int] = field(default_factory=dict)
    opportunities_by_direction: dict[str, int] = field(default_factory=dict)
    opportunities_by_category: dict[str, int] = field(default_factory=dict)
    sessions: list[MeetingSession] = field(default_factory=list)
    slots: int = 0
    table_slots: int = 0
    requests_by_status: dict[str, int] = field(default_factory=dict)
    meetings: int = 0

    def labelled(self, counts: dict[str, int], choices) -> list[tuple[str, int]]:
        """(human label, count) pairs, for display; unknown codes are shown as they are."""
        labels = dict(choices.choices)
        return [(str(labels.get(code, code)), n) for code, n in counts.items()]

    @property
    def kinds_for_display(self) -> list[tuple[str, int]]:
        return self.labelled(self.organisations_by_kind, OrganisationKind)

    @property
    def languages_for_display(self) -> list[tuple[str, int]]:
        """The languages the opportunities are written in, in the reader's words."""
        counts = self.opportunities_by_language.items()
        return [(text_language_label(code), n) for code, n in counts]


def _count(values) -> dict[str, int]:
    return dict(Counter(values).most_common())


def summarise_event(event: Event, *, listed_only: bool = False) -> EventSummary:
    """The event's figures. With `listed_only` (the public page), only what other delegates
    may see counts: organisations awaiting review or hidden, and people out of the listings
    (directory/domain/visibility.py), are left out; organisers and the demo see everything."""
    if listed_only:
        links = listed_links(event).select_related("organisation")
        opportunities = listed_opportunities(event)
        participants = listed_participants(event)
    else:
        links = EventOrganisation.objects.filter(event=event).select_related("organisation")
        opportunities = Opportunity.objects.filter(event=event)
        participants = Participant.objects.filter(event=event)
    sessions = list(MeetingSession.objects.filter(event=event).prefetch_related("slots"))
    return EventSummary(
        organisations=links.count(),
        participants=participants.count(),
        opportunities=opportunities.count(),
        organisations_by_kind=_count(link.organisation.kind for link in links),
        organisations_by_region=_count(link.organisation.region for link in links),
        opportunities_by_language=_count(opportunities.values_list("language", flat=True)),
        opportunities_by_direction=_count(opportunities.values_list("direction", flat=True)),
        opportunities_by_category=_count(opportunities.values_list("category", flat=True)),
        sessions=sessions,
        slots=sum(len(s.slots.all()) for s in sessions),
        table_slots=sum(len(s.slots.all()) * s.tables for s in sessions),
        requests_by_status=_count(
            MeetingRequest.objects.filter(event=event).values_list("status", flat=True)
        ),
        meetings=Meeting.objects.filter(event=event).count(),
    )
