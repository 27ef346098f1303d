"""People to meet: one entry per partner organisation, best person first, fair exposure.

A delegate is shown people, but what they learn from a slot is an organisation: a second
colleague of a firm already shown teaches nothing. So a list is the engine's partner
organisations (MatchResult.organisations), in order, one entry each, holding the best
person to see and their colleagues by name.

Two adjustments, both gentle:
- Exposure. Left alone, the most attractive firms appear in everybody's list and their
  people cannot take all the meetings asked of them. An organisation asked for by more
  lists than its people can carry (EXPOSURE_PER_PERSON each) loses a little score in the
  lists where it is not the best partner, so that near-ties go to firms with room. The
  penalty is small and never applies to a delegate's best partner: it reorders, it does
  not push anybody's best match out (hard caps did, in the min-cost-flow assignment this
  replaces).
- The person. Within an organisation, people who share a language with the delegate come
  first, then those shown least so far (spreading requests over a firm's people), then by
  key, so the lists are the same on every run.

Each list is longer than the five a page shows (LIST_LENGTH), so that a page can refill:
when the delegate rejects a person or an organisation, the next entry moves up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from superconnector.engine.matching.inputs import Recommendation

SHOWN = 5  # what a page shows: "the right five people to meet"
LIST_LENGTH = (
    10  # what is stored: the shown five and the entries that refill them (a run keeps ten partners)
)
EXPOSURE_PER_PERSON = 8  # lists one person can be in before their firm counts as asked too much
EXPOSURE_PENALTY = 0.05  # score lost per doubling of an organisation's overload


@dataclass(frozen=True)
class Person:
    key: str
    organisation: str
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    """One partner organisation in a delegate's list: its people, best to see first."""

    organisation: str
    people: tuple[str, ...]
    score: float  # the engine's partner score (what the delegate is told)


def list_people_to_meet(
    people: Iterable[Person],
    partners: Mapping[str, Sequence[Recommendation]],
    *,
    length: int = LIST_LENGTH,
    shown: int = SHOWN,
    exposure_per_person: int = EXPOSURE_PER_PERSON,
    penalty: float = EXPOSURE_PENALTY,
    excluded: AbstractSet[tuple[str, str]] = frozenset(),
) -> dict[str, list[Entry]]:
    """Each person's list (person key -> entries, best first).

    `excluded` holds (person key, organisation key) pairs the person must not be shown
    (their verdicts) and (person key, person key) pairs for single people; a person never
    sees their own organisation."""
    people = sorted(people, key=lambda p: p.key)
    members = _members_by_organisation(people)
    candidates = {
        person.key: _candidate_partners(person, partners, members, excluded, length)
        for person in people
    }
    demand = _demand(candidates.values(), shown)
    overload = {
        org: max(0.0, demand[org] / (exposure_per_person * len(members[org])) - 1.0)
        for org in demand
    }
    ranked = {
        key: _rerank(options, overload, penalty)[:length] for key, options in candidates.items()
    }
    return _choose_people(people, ranked, members, excluded, shown)


def _members_by_organisation(people: Sequence[Person]) -> dict[str, list[Person]]:
    members: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        members[person.organisation].append(person)
    return members


def _candidate_partners(
    person: Person,
    partners: Mapping[str, Sequence[Recommendation]],
    members: Mapping[str, Sequence[Person]],
    excluded: AbstractSet[tuple[str, str]],
    length: int,
) -> list[tuple[str, float]]:
    """The person's partner organisations in the engine's order that have someone the
    person may be shown; a few more than the list holds, for the re-rank to choose from."""
    options = []
    for recommendation in partners.get(person.organisation, ()):
        org = recommendation.target
        if org == person.organisation or (person.key, org) in excluded:
            continue
        if not any((person.key, other.key) not in excluded for other in members.get(org, ())):
            continue
        options.append((org, recommendation.score))
        if len(options) == 2 * length:
            break
    return options


def _demand(lists: Iterable[list[tuple[str, float]]], shown: int) -> dict[str, int]:
    """How many lists would show each organisation in their first `shown` entries."""
    demand: dict[str, int] = defaultdict(int)
    for options in lists:
        for org, _score in options[:shown]:
            demand[org] += 1
    return demand


def _rerank(
    options: list[tuple[str, float]], overload: Mapping[str, float], penalty: float
) -> list[tuple[str, float]]:
    """Options by score less the exposure penalty; the best partner keeps its place."""
    if not options:
        return []
    best, rest = options[0], options[1:]

    def adjusted(option: tuple[str, float]) -> float:
        return option[1] - penalty * math.log2(1.0 + overload.get(option[0], 0.0))

    return [best, *sorted(rest, key=lambda option: (-adjusted(option), option[0]))]


def _choose_people(
    people: Sequence[Person],
    ranked: Mapping[str, list[tuple[str, float]]],
    members: Mapping[str, Sequence[Person]],
    excluded: AbstractSet[tuple[str, str]],
    shown: int,
) -> dict[str, list[Entry]]:
    """Entries with their people ordered, rank by rank across all lists, so that the
    exposure each person gets from the top ranks is spread before lower ranks are filled."""
    load: dict[str, int] = defaultdict(int)
    result: dict[str, list[Entry]] = {person.key: [] for person in people}
    depth = max((len(options) for options in ranked.values()), default=0)
    for rank in range(depth):
        for person in people:
            options = ranked[person.key]
            if rank >= len(options):
                continue
            org, score = options[rank]
            order = sorted(
                (other for other in members[org] if (person.key, other.key) not in excluded),
                key=lambda other: (
                    not (other.languages & person.languages),
                    load[other.key],
                    other.key,
                ),
            )
            if rank < shown:
                load[order[0].key] += 1
            result[person.key].append(Entry(org, tuple(other.key for other in order), score))
    return result


def one_person_per_partner(
    people: Iterable[Person],
    partners: Mapping[str, Sequence[Recommendation]],
    *,
    per_participant: int = SHOWN,
) -> dict[str, list[Entry]]:
    """The simple alternative, as a baseline for the evaluation: each person's partners in
    the engine's order, one person each (the first by key), no exposure adjustment."""
    people = sorted(people, key=lambda p: p.key)
    first: dict[str, Person] = {}
    for person in people:
        first.setdefault(person.organisation, person)
    return {
        receiver.key: [
            Entry(r.target, (first[r.target].key,), r.score)
            for r in partners.get(receiver.organisation, [])
            if r.target in first and r.target != receiver.organisation
        ][:per_participant]
        for receiver in people
    }


def exposure(lists: Mapping[str, Sequence[Entry]], shown: int = SHOWN) -> dict[str, int]:
    """How many lists show each person as the one to see, in their first `shown` entries."""
    counts: dict[str, int] = defaultdict(int)
    for entries in lists.values():
        for entry in entries[:shown]:
            counts[entry.people[0]] += 1
    return dict(counts)
