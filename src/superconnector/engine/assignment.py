"""Suggested meetings with fair exposure: a capacity-constrained assignment (min-cost flow).

Left alone, the most attractive organisations appear in everybody's list and the rest in
nobody's. As in reviewer-assignment solvers, each participant is suggested to at most
`max_exposure` others, and each participant receives at least `minimum` suggestions where
the candidates allow, up to `per_participant`; within those limits the total score of the
suggestions is as high as possible.

Network: source -> receiver (two arcs: `minimum` units with a large reward, the rest
without) -> candidate (1 unit, reward = score) -> sink (`max_exposure` units), plus a
source -> sink bypass so that no suggestion is forced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from superconnector.engine.matching.inputs import Recommendation

SCALE = 1000  # scores in [0, 1] become integer rewards
MINIMUM_REWARD = 1_000_000  # per suggestion below the minimum: dominates any score


@dataclass(frozen=True)
class Person:
    key: str
    organisation: str


@dataclass(frozen=True)
class Suggestion:
    receiver: str
    candidate: str
    score: float


def assign_suggestions(
    people: Iterable[Person],
    organisation_scores: Mapping[str, Mapping[str, float]],
    *,
    per_participant: int = 5,
    minimum: int = 3,
    max_exposure: int = 8,
    partners_considered: int = 15,
    excluded: AbstractSet[tuple[str, str]] = frozenset(),
) -> dict[str, list[Suggestion]]:
    """receiver -> suggestions, best first. `excluded` holds (receiver, candidate) pairs or
    (receiver, candidate organisation) pairs that must not be suggested."""
    from ortools.graph.python import min_cost_flow  # noqa: PLC0415 (OR-Tools takes 0.2 to 2 s to import; loaded only when this solver runs)

    people = list(people)
    members: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        members[person.organisation].append(person)
    index = {person.key: n for n, person in enumerate(people)}
    source, sink = 2 * len(people), 2 * len(people) + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    edges: list[tuple[int, str, str, float]] = []
    for receiver in people:
        partners = sorted(
            organisation_scores.get(receiver.organisation, {}).items(),
            key=lambda kv: (-kv[1], kv[0]),
        )[:partners_considered]
        for organisation, score in partners:
            if organisation == receiver.organisation or (receiver.key, organisation) in excluded:
                continue
            for candidate in members.get(organisation, []):
                if (receiver.key, candidate.key) in excluded:
                    continue
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    index[receiver.key],
                    len(people) + index[candidate.key],
                    1,
                    -round(score * SCALE),
                )
                edges.append((arc, receiver.key, candidate.key, score))
    for person in people:
        n = index[person.key]
        flow.add_arc_with_capacity_and_unit_cost(source, n, minimum, -MINIMUM_REWARD)
        if per_participant > minimum:
            flow.add_arc_with_capacity_and_unit_cost(source, n, per_participant - minimum, 0)
        flow.add_arc_with_capacity_and_unit_cost(len(people) + n, sink, max_exposure, 0)
    total = per_participant * len(people)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()  # type: ignore[no-untyped-call]  # ortools' stub leaves solve() untyped
    if status != flow.OPTIMAL:
        raise RuntimeError(f"suggestion assignment failed: min-cost flow status {status}")
    result: dict[str, list[Suggestion]] = {person.key: [] for person in people}
    for arc, receiver_key, candidate_key, score in edges:
        if flow.flow(arc):
            result[receiver_key].append(Suggestion(receiver_key, candidate_key, score))
    for suggestions in result.values():
        suggestions.sort(key=lambda s: (-s.score, s.candidate))
    return result


def suggest_meetings(
    people: Iterable[Person],
    partners: Mapping[str, Sequence[Recommendation]],
    *,
    per_participant: int = 5,
    minimum: int = 3,
    max_exposure: int = 8,
    excluded: AbstractSet[tuple[str, str]] = frozenset(),
) -> dict[str, list[Suggestion]]:
    """The suggested meetings of a matching run (the people lists the portal shows), from
    the engine's partner organisations (MatchResult.organisations): the portal stores
    these and the evaluation scores them, so both see the same lists."""
    scores = {org: {r.target: r.score for r in recs} for org, recs in partners.items()}
    return assign_suggestions(
        people,
        scores,
        per_participant=per_participant,
        minimum=minimum,
        max_exposure=max_exposure,
        excluded=excluded,
    )


def one_person_per_partner(
    people: Iterable[Person],
    partners: Mapping[str, Sequence[Recommendation]],
    *,
    per_participant: int = 5,
) -> dict[str, list[Suggestion]]:
    """The simple alternative to suggest_meetings, as a baseline for the evaluation: each
    person's organisation partners in the engine's order, one person each (the first by
    key), with no exposure limits."""
    people = list(people)
    first: dict[str, Person] = {}
    for person in sorted(people, key=lambda p: p.key):
        first.setdefault(person.organisation, person)
    result: dict[str, list[Suggestion]] = {}
    for receiver in people:
        shown = [
            Suggestion(receiver.key, first[r.target].key, r.score)
            for r in partners.get(receiver.organisation, [])
            if r.target in first and r.target != receiver.organisation
        ]
        result[receiver.key] = shown[:per_participant]
    return result


def exposure(suggestions: Mapping[str, list[Suggestion]]) -> dict[str, int]:
    """How many lists each participant appears in."""
    counts: dict[str, int] = defaultdict(int)
    for items in suggestions.values():
        for suggestion in items:
            counts[suggestion.candidate] += 1
    return dict(counts)
