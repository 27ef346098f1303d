"""The event's directory for delegates: published organisations, their people and opportunities.

Search works across scripts: query and text are both normalised (NFKC, lower case,
Traditional to Simplified), and each query term must occur in the text, either whole or,
for Chinese, as all of its jieba words (so 上市律师 finds 上市法律顾问 only if both 上市 and
律师 occur). Filtering and matching run in Python over one query's rows: for the few
thousand rows of a large event that is a few milliseconds once the normalised texts are
memoised, simpler than a search index and correct for Chinese without a tokenizer in the
database.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Participant,
    ReviewStatus,
)
from superconnector.engine.text import normalise, tokenize
from superconnector.events.models import Event
from superconnector.meetings.models import MeetingRequest, RequestStatus

SHOWS = ("opportunities", "organisations", "people")
PAGE_SIZE = 60


@dataclass(frozen=True)
class DirectoryFilters:
    show: str = "opportunities"
    q: str = ""
    kind: str = ""
    region: str = ""
    sector: str = ""
    category: str = ""
    direction: str = ""
    language: str = ""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> DirectoryFilters:
        values = {name: str(data.get(name) or "").strip() for name in cls.__dataclass_fields__}
        if values["show"] not in SHOWS:
            values["show"] = "opportunities"
        return cls(**values)


@dataclass
class DirectoryPage:
    filters: DirectoryFilters
    items: list = field(default_factory=list)
    total: int = 0
    # Participants whose e-mail and phone the viewer may see (an accepted meeting).
    contacts: frozenset[int] = frozenset()

    @property
    def truncated(self) -> bool:
        return self.total > len(self.items)


@functools.lru_cache(maxsize=100_000)
def indexed_text(text: str) -> str:
    """The normalised form of a text; memoised because the same rows are searched again."""
    return normalise(text)


def query_terms(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each term of the query: its normalised form and, for a Chinese term, its words."""
    terms = []
    for raw in normalise(query).split():
        words = tuple(tokenize(raw, normalised=True))
        terms.append((raw, words if len(words) > 1 else ()))
    return terms


def text_matches(terms: list[tuple[str, tuple[str, ...]]], text: str) -> bool:
    return all(
        whole in text or (words and all(word in text for word in words)) for whole, words in terms
    )


def _folded(values) -> set[str]:
    return {normalise(v) for v in values if v}


def published_links(event: Event):
    return EventOrganisation.objects.filter(event=event, review_status=ReviewStatus.PUBLISHED)


def filter_choices(event: Event) -> tuple[list[str], list[str]]:
    """(regions, sectors) named anywhere in the event's published profiles, sorted."""
    regions: set[str] = set()
    sectors: set[str] = set()
    for region, org_sectors in published_links(event).values_list(
        "organisation__region", "organisation__sectors"
    ):
        if region:
            regions.add(region)
        sectors.update(org_sectors or [])
    for opp_sectors, opp_regions in Opportunity.objects.filter(
        event=event, event_organisation__review_status=ReviewStatus.PUBLISHED
    ).values_list("sectors", "regions"):
        sectors.update(opp_sectors or [])
        regions.update(opp_regions or [])
    return sorted(regions, key=str.casefold), sorted(sectors, key=str.casefold)


def accepted_counterparts(viewer: Participant) -> frozenset[int]:
    """Participants with whom `viewer` has an accepted meeting: they exchanged cards."""
    pairs = MeetingRequest.objects.filter(
        Q(sender=viewer) | Q(recipient=viewer), status=RequestStatus.ACCEPTED
    ).values_list("sender_id", "recipient_id")
    return frozenset(other for pair in pairs for other in pair if other != viewer.pk)


def search_directory(
    event: Event, viewer: Participant, filters: DirectoryFilters, *, limit: int = PAGE_SIZE
) -> DirectoryPage:
    search = {
        "opportunities": _opportunities,
        "organisations": _organisations,
        "people": _people,
    }[filters.show]
    terms = query_terms(filters.q) if filters.q else []
    matches = list(search(event, filters, terms))
    page = DirectoryPage(filters=filters, items=matches[:limit], total=len(matches))
    if filters.show == "people":
        page.contacts = accepted_counterparts(viewer)
    return page


def _place_and_sector_match(filters: DirectoryFilters, regions, sectors) -> bool:
    if filters.region and normalise(filters.region) not in _folded(regions):
        return False
    return not (filters.sector and normalise(filters.sector) not in _folded(sectors))


def _opportunities(event: Event, filters: DirectoryFilters, terms):
    rows = Opportunity.objects.filter(
        event=event, event_organisation__review_status=ReviewStatus.PUBLISHED
    ).select_related("event_organisation__organisation")
    for name in ("category", "direction", "language"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.kind:
        rows = rows.filter(event_organisation__organisation__kind=filters.kind)
    for opportunity in rows.order_by("event_organisation__organisation__name", "title", "pk"):
        organisation = opportunity.event_organisation.organisation
        if not _place_and_sector_match(
            filters,
            [*opportunity.regions, organisation.region],
            [*opportunity.sectors, *organisation.sectors],
        ):
            continue
        if terms and not text_matches(
            terms,
            indexed_text(
                "\n".join(
                    [
                        opportunity.title,
                        opportunity.description,
                        " ".join(opportunity.sectors),
                        " ".join(opportunity.regions),
                        organisation.name,
                        organisation.name_zh,
                    ]
                )
            ),
        ):
            continue
        yield opportunity


def _organisations(event: Event, filters: DirectoryFilters, terms):
    rows = published_links(event).select_related("organisation")
    if filters.kind:
        rows = rows.filter(organisation__kind=filters.kind)
    if filters.language:
        rows = rows.filter(organisation__language=filters.language)
    opportunity_filter = {
        f"opportunities__{name}": getattr(filters, name)
        for name in ("category", "direction")
        if getattr(filters, name)
    }
    if opportunity_filter:
        rows = rows.filter(**opportunity_filter).distinct()
    for link in rows.order_by("organisation__name", "pk"):
        organisation = link.organisation
        if not _place_and_sector_match(filters, [organisation.region], organisation.sectors):
            continue
        if terms and not text_matches(
            terms,
            indexed_text(
                "\n".join(
                    [
                        organisation.name,
                        organisation.name_zh,
                        organisation.description,
                        organisation.region,
                        " ".join(organisation.sectors),
                    ]
                )
            ),
        ):
            continue
        yield link


def _people(event: Event, filters: DirectoryFilters, terms):
    # People who withdrew consent to show their profile are hidden from other delegates.
    rows = Participant.objects.filter(
        event=event,
        event_organisation__review_status=ReviewStatus.PUBLISHED,
        person__profile_hidden=False,
    ).select_related("person", "event_organisation__organisation")
    if filters.kind:
        rows = rows.filter(event_organisation__organisation__kind=filters.kind)
    language = filters.language.split("-")[0].lower()
    for participant in rows.order_by("person__name", "pk"):
        person, organisation = participant.person, participant.event_organisation.organisation
        if not _place_and_sector_match(filters, [organisation.region], organisation.sectors):
            continue
        if language and not any(
            str(spoken).lower().startswith(language) for spoken in person.languages
        ):
            continue
        if terms and not text_matches(
            terms,
            indexed_text(
                "\n".join([person.name, person.title, organisation.name, organisation.name_zh])
            ),
        ):
            continue
        yield participant
