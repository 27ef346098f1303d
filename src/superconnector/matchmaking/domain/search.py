"""Searching an event's directory as a delegate: organisations, people and opportunities.

The portal's directory page and the API's search endpoints both search through here, so a
delegate gets the same results in the same order either way, through the same visibility
rule (directory/domain/visibility.py, and the confidential-opportunity rule beside this
module, which is why the search lives in matchmaking and not in the directory).

Search works across scripts and languages. Query and text are both normalised (NFKC, lower
case, Traditional to Simplified). Each query term must be found in the text:

- a Latin term at the start of a word: "fin" finds "finance", "AI" does not find "Main
  Board"; a term of one or two letters ("AI", "HK") only as a whole word, since as a prefix
  it would find "aim" and "air";
- a Chinese term whole or as all of its jieba words (上市律师 finds 上市法律顾问 only if both
  上市 and 律师 occur);
- or, across languages, through the glossary's concepts: when the query names a concept
  (人工智能, "artificial intelligence", "AI"), a text naming the same concept in any language
  satisfies the words of the query that named it.

Results come in relevance order: a whole word counts more than a prefix or a concept, and a
hit in the title (or name) more than one in the description; ties keep alphabetical order.
Filtering and matching run in Python over one query's rows: for the few thousand rows of a
large event that is a few milliseconds once the normalised texts and their concepts are
memoised, simpler than a search index and correct for Chinese without a tokenizer in the
database. Results are paged, with the total and the number of pages.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, TextField
from django.db.models.functions import Cast

from superconnector.directory.domain.visibility import (
    visible_organisations_q,
    visible_participants,
)
from superconnector.directory.labels import searchable_words
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.engine.concepts import ConceptMatcher, load_glossary
from superconnector.engine.text import normalise, tokenize
from superconnector.events.models import Event
from superconnector.matchmaking.domain.visibility import visible_opportunities

SHOWS = ("opportunities", "organisations", "people")
PAGE_SIZE = 60

# How much one term's hit is worth: whole beats prefix and concept; the title beats the body.
WHOLE, PREFIX, CONCEPT = 1.0, 0.6, 0.8
HEAD_WEIGHT = 2.0
# Latin terms this short only match whole words ("ai" must not find "aim", "main").
SHORTEST_PREFIX = 3

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z0-9]")


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
    number: int = 1
    page_size: int = PAGE_SIZE

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


@functools.lru_cache(maxsize=100_000)
def indexed_text(text: str) -> str:
    """The normalised form of a text; memoised because the same rows are searched again."""
    return normalise(text)


@functools.cache
def glossary() -> ConceptMatcher:
    """The engine's bilingual glossary, loaded once per process."""
    return load_glossary()


@functools.lru_cache(maxsize=100_000)
def text_concepts(text: str) -> frozenset[str]:
    """The glossary concepts named in a normalised text; memoised like the text itself."""
    return frozenset(glossary().find(text, normalised=True))


@dataclass(frozen=True)
class TermPart:
    """One piece a query term must find: a Latin word, or a Chinese word or phrase."""

    text: str
    pattern: re.Pattern[str] | None  # Latin: the word-start (or whole-word) pattern
    concepts: frozenset[str]  # glossary concepts the query named with this piece


@dataclass(frozen=True)
class QueryTerm:
    """A term of the query: whole, and the parts that may be found apart (Chinese words)."""

    text: str
    parts: tuple[TermPart, ...]


def _latin_pattern(word: str) -> re.Pattern[str]:
    stem = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    end = r"(?![a-z0-9])" if len(stem) < SHORTEST_PREFIX else ""
    return re.compile(r"(?<![a-z0-9])" + re.escape(stem) + end)


def _concepts_named(query: str) -> dict[str, str]:
    """concept id -> the query's words that named it (normalised)."""
    return glossary().find(query, normalised=True)


def _part(text: str, named: dict[str, str]) -> TermPart:
    concepts = frozenset(
        concept
        for concept, words in named.items()
        if (
            (_HAN.search(text) and (text in words or words in text))
            or (not _HAN.search(text) and text in words.split())
        )
    )
    latin = not _HAN.search(text)
    return TermPart(text, _latin_pattern(text) if latin else None, concepts)


def query_terms(query: str) -> list[QueryTerm]:
    """Each term of the query, with its parts and the concepts they named."""
    folded = normalise(query)
    named = _concepts_named(folded)
    terms = []
    for raw in folded.split():
        words = tuple(tokenize(raw, normalised=True)) if _HAN.search(raw) else ()
        pieces = words if len(words) > 1 else (raw,)
        terms.append(QueryTerm(raw, tuple(_part(piece, named) for piece in pieces)))
    return terms


def _find_part(part: TermPart, text: str, concepts: frozenset[str]) -> float:
    """How well one piece is found in a normalised text: 0 when not at all."""
    if part.pattern is None:
        if part.text in text:
            return WHOLE
    else:
        match = part.pattern.search(text)
        if match:
            end = match.end()
            whole = end >= len(text) or not _LATIN_WORD.match(text, end)
            return WHOLE if whole else PREFIX
    return CONCEPT if part.concepts & concepts else 0.0


def _term_score(term: QueryTerm, text: str, concepts: frozenset[str]) -> float:
    if len(term.parts) > 1 and term.text in text:
        return WHOLE  # a Chinese term found whole beats its words found apart
    scores = [_find_part(part, text, concepts) for part in term.parts]
    if not all(scores):
        return 0.0
    return sum(scores) / len(scores) * (0.9 if len(term.parts) > 1 else 1.0)


def score_text(terms: list[QueryTerm], head: str, body: str = "") -> float:
    """The relevance of a row to the query, 0 when some term is not found.

    `head` is the title or name, `body` the rest; both are already normalised.
    """
    needs_concepts = any(part.concepts for term in terms for part in term.parts)
    head_concepts = text_concepts(head) if needs_concepts else frozenset()
    body_concepts = text_concepts(body) if needs_concepts and body else frozenset()
    total = 0.0
    for term in terms:
        best = max(
            HEAD_WEIGHT * _term_score(term, head, head_concepts),
            _term_score(term, body, body_concepts) if body else 0.0,
        )
        if not best:
            return 0.0
        total += best
    return total


def text_matches(terms: list[QueryTerm], text: str) -> bool:
    return score_text(terms, text) > 0


def _folded(values) -> set[str]:
    return {normalise(v) for v in values if v}


def search_directory(
    event: Event,
    viewer: Participant,
    filters: DirectoryFilters,
    *,
    page: int = 1,
    limit: int = PAGE_SIZE,
) -> DirectoryPage:
    """One page of what the viewer may see and the query finds, best first."""
    search = {
        "opportunities": _opportunities,
        "organisations": _organisations,
        "people": _people,
    }[filters.show]
    terms = query_terms(filters.q) if filters.q else []
    matches = _ranked(search(event, viewer, filters, terms))
    page_count = max(1, math.ceil(len(matches) / limit))
    number = min(max(1, page), page_count)
    shown = matches[(number - 1) * limit : number * limit]
    return DirectoryPage(
        filters=filters,
        items=_page_rows(filters.show, shown),
        total=len(matches),
        number=number,
        page_size=limit,
    )


def _ranked(scored: Iterable[tuple[int, float]]) -> list[int]:
    """Ids by falling score; rows of equal score keep their (alphabetical) order."""
    rows = list(scored)
    return [pk for pk, _score in sorted(rows, key=lambda row: -row[1])]


def _scored(terms: list[QueryTerm], pk: int, head: str, body: str) -> Iterator[tuple[int, float]]:
    """(pk, score) when the row is found, nothing otherwise; every row scores 1 without a query."""
    if not terms:
        yield pk, 1.0
        return
    score = score_text(terms, indexed_text(head), indexed_text(body))
    if score:
        yield pk, score


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
        # Tags with their names in every language: 人工智能 finds the sector ai.
        tags = searchable_words(sectors, regions)
        body = "\n".join([description, tags, name, name_zh])
        yield from _scored(terms, pk, title, body)


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
        body = "\n".join([description, searchable_words(sectors, [region])])
        yield from _scored(terms, pk, f"{name}\n{name_zh}", body)


def _people(event: Event, viewer: Participant, filters: DirectoryFilters, terms):
    # Unlisted people (withdrawn consent, erased, disabled, organisation not published)
    # are hidden from other delegates.
    rows = visible_participants(viewer)
    if filters.kind:
        rows = rows.filter(event_organisation__organisation__kind=filters.kind)
    language = filters.language.split("-")[0].lower()
    org = "event_organisation__organisation__"
    columns = ["pk", "person__name", "person__name_zh", "person__title", "person__languages"]
    columns += [f"{org}name", f"{org}name_zh", f"{org}region", f"{org}sectors"]
    lists = ("person__languages", f"{org}sectors")
    for row in _columns(rows.order_by("person__name", "pk"), columns, lists):
        pk, name, name_zh, title, languages, org_name, org_name_zh, region, sectors = row
        if not _place_and_sector_match(filters, [region], sectors):
            continue
        if language and not any(str(spoken).lower().startswith(language) for spoken in languages):
            continue
        names = f"{name}\n{name_zh}"  # a delegate is found by either of their names
        yield from _scored(terms, pk, names, "\n".join([title, org_name, org_name_zh]))
