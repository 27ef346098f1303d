"""Ranking metrics for the matching evaluation: nDCG, recall, MRR and the trap rate.

Labels: for each need, graded relevance of offers (3 exact, 2 good, 1 partial, unlisted 0)
and its "traps" (look-alikes that must not outrank the right answers), as written in
eval/matching/labels.json.
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
        def mean(values: Sequence[float]) -> float:
            return sum(values) / len(values) if values else float("nan")

        return {
            "n": len(self.ndcg),
            "ndcg@10": mean(self.ndcg),
            "recall@10": mean(self.recall),
            "mrr": mean(self.mrr),
            "trap_rate": mean([float(t) for t in self.trapped]),
        }


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
