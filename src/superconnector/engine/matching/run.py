"""The whole run: candidates, feedback, scores, ranked and explained lists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from superconnector.engine.matching.candidates import Candidates, candidate_pairs
from superconnector.engine.matching.embeddings import Embeddings
from superconnector.engine.matching.explain import explain_for_need, explain_for_offer
from superconnector.engine.matching.inputs import (
    Feedback,
    MatchingConfig,
    MatchResult,
    Progress,
    Recommendation,
)
from superconnector.engine.matching.organisations import recommend_organisations
from superconnector.engine.matching.profiles import Profiles
from superconnector.engine.matching.reasons import Reason
from superconnector.engine.matching.scoring import pair_features, probability, score_pair


def recommend(
    profiles: Profiles,
    embeddings: Embeddings,
    config: MatchingConfig | None = None,
    feedback: Sequence[Feedback] = (),
    progress: Progress | None = None,
) -> MatchResult:
    """Ranked, explained recommendations for every need, offer and organisation."""
    config = config or MatchingConfig()
    report = progress or (lambda stage, fraction: None)
    report("retrieving candidates", 0.0)
    candidates = candidate_pairs(profiles, embeddings, config)
    excluded, penalised = _apply_feedback_rules(profiles, embeddings, feedback)
    report("scoring pairs", 0.3)
    keep, logits, dense_z, lexical = _score_candidates(
        profiles, candidates, config, excluded, penalised
    )
    need_idx, offer_idx = candidates.need[keep], candidates.offer[keep]
    report("ranking", 0.7)
    result = MatchResult()

    def explain(position: int, for_need: bool) -> list[Reason]:
        i, j = int(need_idx[position]), int(offer_idx[position])
        features = pair_features(
            profiles.needs[i],
            profiles.offers[j],
            float(dense_z[position]),
            float(lexical[position]),
            profiles,
        )
        explainer = explain_for_need if for_need else explain_for_offer
        return explainer(profiles.needs[i], profiles.offers[j], features)

    for i, positions in _top_per_group(
        need_idx, logits, offer_idx, config.top_k, len(profiles.needs)
    ):
        result.needs[profiles.needs[i].opportunity.key] = [
            Recommendation(
                profiles.offers[int(offer_idx[p])].opportunity.key,
                round(probability(float(logits[p])), 4),
                explain(p, True),
            )
            for p in positions
        ]
    for j, positions in _top_per_group(
        offer_idx, logits, need_idx, config.top_k, len(profiles.offers)
    ):
        result.offers[profiles.offers[j].opportunity.key] = [
            Recommendation(
                profiles.needs[int(need_idx[p])].opportunity.key,
                round(probability(float(logits[p])), 4),
                explain(p, False),
            )
            for p in positions
        ]
    result.organisations = recommend_organisations(
        profiles, need_idx, offer_idx, logits, config.top_k, excluded
    )
    result.stats = {"pairs_scored": len(logits), "candidates": len(candidates.need)}
    report("done", 1.0)
    return result


def _score_candidates(
    profiles: Profiles,
    candidates: Candidates,
    config: MatchingConfig,
    excluded: set[tuple[str, str]],
    penalised: dict[tuple[int, int], float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Logits of the admissible candidate pairs (own organisation and feedback removed)."""
    n = len(candidates.need)
    # Relative to the need's best in the offer's script, like the cosine below: an offer in
    # the other language shares few words with the need, so the best of its own kind is
    # the fair yardstick.
    group = candidates.need.astype(np.int64) * 2 + candidates.script[candidates.offer]
    best_lexical = np.zeros(2 * len(profiles.needs), dtype=np.float32)
    if n:
        np.maximum.at(best_lexical, group, candidates.lexical)
    lexical = np.where(
        best_lexical[group] > 0,
        candidates.lexical / np.maximum(best_lexical[group], 1e-9),
        0.0,
    ).astype(np.float32)
    dense_z = (
        (candidates.cosine - candidates.mean[candidates.need, candidates.script[candidates.offer]])
        / candidates.std[candidates.need, candidates.script[candidates.offer]]
    ).astype(np.float32)
    keep = np.ones(n, dtype=bool)
    logits = np.zeros(n, dtype=np.float32)
    weights = config.weights
    for p in range(n):
        i, j = int(candidates.need[p]), int(candidates.offer[p])
        need, offer = profiles.needs[i], profiles.offers[j]
        viewer = need.opportunity.organisation
        if (
            viewer == offer.opportunity.organisation
            or (viewer, offer.opportunity.key) in excluded
            or (viewer, offer.opportunity.organisation) in excluded
        ):
            keep[p] = False
            continue
        features = pair_features(need, offer, float(dense_z[p]), float(lexical[p]), profiles)
        logits[p] = score_pair(features, weights) - weights.feedback_similar * penalised.get(
            (i, j), 0.0
        )
    return keep, logits[keep], dense_z[keep], lexical[keep]


def _top_per_group(
    groups: np.ndarray, logits: np.ndarray, tiebreak: np.ndarray, k: int, n_groups: int
) -> Iterator[tuple[int, list[int]]]:
    """(group, positions of its k best pairs) for every group, best first; ties by index."""
    order = np.lexsort((tiebreak, -logits, groups))
    sorted_groups = groups[order]
    bounds = np.searchsorted(sorted_groups, np.arange(n_groups + 1))
    for group in range(n_groups):
        yield group, order[bounds[group] : min(bounds[group] + k, bounds[group + 1])].tolist()


def _apply_feedback_rules(
    profiles: Profiles, embeddings: Embeddings, feedback: Sequence[Feedback], threshold: float = 0.9
) -> tuple[set[tuple[str, str]], dict[tuple[int, int], float]]:
    """Exclusions (viewer, target) and penalties for pairs close to a rejected offer.

    Every verdict removes its target from the viewer's lists; "competitor" and
    "already_know" on an organisation remove all of it. "not_relevant" on an offer also
    lowers the viewer's other candidates that are very similar to it (cosine above
    `threshold`, scaled 0..1 up to identical).
    """
    excluded = {(f.organisation, f.target) for f in feedback}
    penalties: dict[tuple[int, int], float] = {}
    offer_index = {p.opportunity.key: j for j, p in enumerate(profiles.offers)}
    for item in feedback:
        if item.verdict != "not_relevant" or item.target not in offer_index:
            continue
        rejected = embeddings.offers[offer_index[item.target]]
        similarity = embeddings.offers @ rejected
        close = np.nonzero(similarity > threshold)[0]
        for i, need in enumerate(profiles.needs):
            if need.opportunity.organisation != item.organisation:
                continue
            for j in close:
                weight = float((similarity[j] - threshold) / (1 - threshold))
                penalties[(i, int(j))] = max(penalties.get((i, int(j)), 0.0), weight)
    return excluded, penalties
