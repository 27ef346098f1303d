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
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, TextField
from django.db.models.functions import Cast

from superconnector.directory.domain.visibility import (
    listed_links,
    listed_opportunities,
    visible_organisations_q,
    visible_participants,
)
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.engine.text import normalise, tokenize
from superconnector.events.models import Event
from superconnector.matchmaking.domain.visibility import visible_opportunities
from superconnector.meetings.domain.contacts import contact_shared_ids

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


def filter_choices(event: Event) -> tuple[list[str], list[str]]:
    """(regions, sectors) named anywhere in the event's published profiles, sorted."""
    regions: set[str] = set()
    sectors: set[str] = set()
    # Distinct combinations only: a fair has thousands of rows but few combinations.
    for region, org_sectors in (
        listed_links(event)
        .values_list("organisation__region", "organisation__sectors")
        .order_by()
        .distinct()
    ):
        if region:
            regions.add(region)
        sectors.update(org_sectors or [])
    for opp_sectors, opp_regions in (
        listed_opportunities(event).values_list("sectors", "regions").order_by().distinct()
    ):
        sectors.update(opp_sectors or [])
        regions.update(opp_regions or [])
    return sorted(regions, key=str.casefold), sorted(sectors, key=str.casefold)


def search_directory(
    event: Event, viewer: Participant, filters: DirectoryFilters, *, limit: int = PAGE_SIZE
) -> DirectoryPage:
    search = {
        "opportunities": _opportunities,
        "organisations": _organisations,
        "people": _people,
    }[filters.show]
    terms = query_terms(filters.q) if filters.q else []
    matches = list(search(event, viewer, filters, terms))
    page = DirectoryPage(
        filters=filters, items=_page_rows(filters.show, matches[:limit]), total=len(matches)
    )
    if filters.show == "people":
        page.contacts = contact_shared_ids(viewer)
    return page


# The searches below read only the columns they filter on, as tuples, and yield ids; only the
# page's rows are then loaded as model instances. Building a model instance (with its
# organisation) for each of a fair's 6,000 opportunities cost about half a second a search.
_PAGE_ROWS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "opportunities": (Opportunity, ("event_organisation__organisation",)),
    "organisations": (EventOrganisation, ("organisation",)),
    "people": (Participant, ("person", "event_organisation__organisation")),
}


def _page_rows(show: str, ids: list[int]) -> list:
    model, related = _PAGE_ROWS[show]
    rows = model._default_manager.select_related(*related).in_bulk(ids)
    return [rows[pk] for pk in ids]


def _columns(rows, columns: list[str], lists: tuple[str, ...] = ()):
    """The rows' `columns` as tuples. The JSON lists among them (`lists`) are read as text
    and decoded once per distinct text: thousands of rows share a few dozen sector lists."""
    aliases = {column: f"_list{index}" for index, column in enumerate(columns) if column in lists}
    rows = rows.annotate(**{alias: Cast(column, TextField()) for column, alias in aliases.items()})
    decode = [column in aliases for column in columns]
    for values in rows.values_list(*(aliases.get(column, column) for column in columns)):
        yield tuple(
            _json_list(value) if is_list else value
            for value, is_list in zip(values, decode, strict=True)
        )


@functools.lru_cache(maxsize=10_000)
def _json_list(text: str | None) -> tuple:
    return tuple(json.loads(text) or ()) if text else ()


def _place_and_sector_match(filters: DirectoryFilters, regions, sectors) -> bool:
    if filters.region and normalise(filters.region) not in _folded(regions):
        return False
    return not (filters.sector and normalise(filters.sector) not in _folded(sectors))


def _opportunities(event: Event, viewer: Participant, filters: DirectoryFilters, terms):
    # Who sees what is decided in directory/domain/visibility.py, as everywhere.
    rows = visible_opportunities(viewer)
    for name in ("category", "direction", "language"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.kind:
        rows = rows.filter(event_organisation__organisation__kind=filters.kind)
    org = "event_organisation__organisation__"
    columns = ["pk", "title", "description", "sectors", "regions"]
    columns += [f"{org}name", f"{org}name_zh", f"{org}region", f"{org}sectors"]
    lists = ("sectors", "regions", f"{org}sectors")
    for row in _columns(rows.order_by(f"{org}name", "title", "pk"), columns, lists):
        pk, title, description, sectors, regions, name, name_zh, org_region, org_sectors = row
        if not _place_and_sector_match(filters, [*regions, org_region], [*sectors, *org_sectors]):
            continue
        if terms and not text_matches(
            terms,
            indexed_text(
                "\n".join([title, description, " ".join(sectors), " ".join(regions), name, name_zh])
            ),
        ):
            continue
        yield pk


def _organisations(event: Event, viewer: Participant, filters: DirectoryFilters, terms):
    rows = EventOrganisation.objects.filter(event=event).filter(visible_organisations_q(viewer))
    if filters.kind:
        rows = rows.filter(organisation__kind=filters.kind)
    if filters.language:
        rows = rows.filter(organisation__language=filters.language)
    opportunity_filter = {
        name: getattr(filters, name) for name in ("category", "direction") if getattr(filters, name)
    }
    if opportunity_filter:
        # Only opportunities the viewer may read count: a confidential one must not show
        # through as "this organisation needs investment".
        having = visible_opportunities(viewer).filter(**opportunity_filter)
        rows = rows.filter(pk__in=having.values("event_organisation_id"))
    org = "organisation__"
    columns = ["pk", f"{org}name", f"{org}name_zh", f"{org}description", f"{org}region"]
    columns += [f"{org}sectors"]
    for pk, name, name_zh, description, region, sectors in _columns(
        rows.order_by(f"{org}name", "pk"), columns, (f"{org}sectors",)
    ):
        if not _place_and_sector_match(filters, [region], sectors):
            continue
        if terms and not text_matches(
            terms,
            indexed_text("\n".join([name, name_zh, description, region, " ".join(sectors)])),
        ):
            continue
        yield pk


def _people(event: Event, viewer: Participant, filters: DirectoryFilters, terms):
    # Unlisted people (withdrawn consent, erased, disabled, organisation not published)
    # are hidden from other delegates.
    rows = visible_participants(viewer)
    if filters.kind:
        rows = rows.filter(event_organisation__organisation__kind=filters.kind)
    language = filters.language.split("-")[0].lower()
    org = "event_organisation__organisation__"
    columns = ["pk", "person__name", "person__title", "person__languages"]
    columns += [f"{org}name", f"{org}name_zh", f"{org}region", f"{org}sectors"]
    lists = ("person__languages", f"{org}sectors")
    for row in _columns(rows.order_by("person__name", "pk"), columns, lists):
        pk, name, title, languages, org_name, org_name_zh, region, sectors = row
        if not _place_and_sector_match(filters, [region], sectors):
            continue
        if language and not any(str(spoken).lower().startswith(language) for spoken in languages):
            continue
        if terms and not text_matches(
            terms, indexed_text("\n".join([name, title, org_name, org_name_zh]))
        ):
            continue
        yield pk
