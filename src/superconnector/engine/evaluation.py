"""Ranking metrics for the matching evaluation: nDCG, recall, MRR and the trap rate, and
the person-level figures of the people lists a delegate sees.

Labels: for each need, graded relevance of offers (3 exact, 2 good, 1 partial, unlisted 0)
and its "traps" (look-alikes that must not outrank the right answers), as written in
eval/matching/labels.json. People lists are judged through organisation grades
(organisation_grades): a person is worth what their organisation is worth to the
delegate's organisation, once; a second colleague of an organisation already shown earns
nothing, because the delegate learns nothing new from the slot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

RELEVANT = 2  # grade from which an answer counts as right for recall, MRR and traps


def dcg(gains: Sequence[float]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg([grades.get(key, 0) for key in ranking[:k]]) / ideal


def recall_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    relevant = {key for key, g in grades.items() if g >= RELEVANT}
    if not relevant:
        return 0.0
    return len(relevant & set(ranking[:k])) / len(relevant)


def reciprocal_rank(ranking: Sequence[str], grades: Mapping[str, int]) -> float:
    for rank, key in enumerate(ranking):
        if grades.get(key, 0) >= RELEVANT:
            return 1.0 / (rank + 1)
    return 0.0


def trapped(ranking: Sequence[str], grades: Mapping[str, int], traps: Sequence[str]) -> bool:
    """A look-alike is ranked above every right answer (or a trap is listed and no right one)."""
    trap_set = set(traps)
    for key in ranking:
        if grades.get(key, 0) >= RELEVANT:
            return False
        if key in trap_set:
            return True
    return False


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)
    trapped: list[bool] = field(default_factory=list)

    def add(
        self, ranking: Sequence[str], grades: Mapping[str, int], traps: Sequence[str], k: int
    ) -> None:
        self.ndcg.append(ndcg_at(ranking, grades, k))
        self.recall.append(recall_at(ranking, grades, k))
        self.mrr.append(reciprocal_rank(ranking, grades))
        if traps:
            self.trapped.append(trapped(ranking, grades, traps))

    def summary(self) -> dict[str, float]:
        return {
            "n": len(self.ndcg),
            "ndcg@10": mean(self.ndcg),
            "recall@10": mean(self.recall),
            "mrr": mean(self.mrr),
            "trap_rate": mean([float(t) for t in self.trapped]),
        }


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else math.nan


def organisation_grades(
    labels: Mapping[str, Mapping[str, Any]], owner: Mapping[str, str]
) -> dict[str, dict[str, int]]:
    """Org-to-org relevance from need-to-offer labels, in both directions (max grade)."""
    grades: dict[str, dict[str, int]] = {}
    for need, label in labels.items():
        seeker = owner[need]
        for offer, grade in label["relevant"].items():
            provider = owner[offer]
            if provider == seeker:
                continue
            for a, b in ((seeker, provider), (provider, seeker)):
                grades.setdefault(a, {})
                grades[a][b] = max(grades[a].get(b, 0), grade)
    return grades


PEOPLE_K = 5  # the delegate's "top five people"


def person_ndcg_at(
    organisations: Sequence[str], grades: Mapping[str, int], k: int = PEOPLE_K
) -> float:
    """nDCG@k of a people list given as the organisations of its people, in order, with
    organisation-level gain: a second colleague of an organisation already shown gains 0.
    The ideal list shows the k best organisations, one person each."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    seen: set[str] = set()
    gains = []
    for organisation in organisations[:k]:
        gains.append(0 if organisation in seen else grades.get(organisation, 0))
        seen.add(organisation)
    return dcg(gains) / ideal


def duplicate_slots(organisations: Sequence[str], k: int = PEOPLE_K) -> int:
    """How many of the first k slots show a colleague of someone shown above."""
    shown = organisations[:k]
    return len(shown) - len(set(shown))


def best_partner_shown(
    organisations: Sequence[str], grades: Mapping[str, int], k: int = PEOPLE_K
) -> bool | None:
    """Whether a best partner (an organisation of the highest grade; ties all count) is
    among the first k; None when the delegate's organisation has no graded partner."""
    top = max(grades.values(), default=0)
    if top <= 0:
        return None
    return any(grades.get(organisation, 0) == top for organisation in organisations[:k])


@dataclass
class PeopleScores:
    """Person-level figures over delegates: person nDCG@5, duplicate-organisation rate
    (duplicate slots over filled slots), best partner in the top five."""

    ndcg: list[float] = field(default_factory=list)
    duplicates: int = 0
    slots: int = 0
    best_shown: list[bool] = field(default_factory=list)

    def add(self, organisations: Sequence[str], grades: Mapping[str, int]) -> None:
        self.ndcg.append(person_ndcg_at(organisations, grades))
        self.duplicates += duplicate_slots(organisations)
        self.slots += len(organisations[:PEOPLE_K])
        shown = best_partner_shown(organisations, grades)
        if shown is not None:
            self.best_shown.append(shown)

    def summary(self) -> dict[str, float]:
        return {
            "delegates": len(self.ndcg),
            "person_ndcg@5": mean(self.ndcg),
            "duplicate_rate": self.duplicates / self.slots if self.slots else math.nan,
            "best_partner@5": mean([float(b) for b in self.best_shown]),
        }
