"""Partner organisations, from the opportunity links between them in both directions."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import numpy as np

from superconnector.engine.matching.explain import explain_link
from superconnector.engine.matching.inputs import Recommendation
from superconnector.engine.matching.profiles import Profiles


def recommend_organisations(
    profiles: Profiles,
    need_idx: np.ndarray,
    offer_idx: np.ndarray,
    logits: np.ndarray,
    top_k: int,
    excluded: AbstractSet[tuple[str, str]] = frozenset(),
) -> dict[str, list[Recommendation]]:
    """Partner organisations from opportunity links in both directions.

    For A and B: how well B answers A's needs (best pair), how well A answers B's; the
    better link counts fully, the other adds half (reciprocity), and several strong links
    add a little. Array work throughout (a fair has millions of links); reasons are written
    only for the partners that are shown.
    """
    organisations = sorted(profiles.organisations)
    org_id = {key: n for n, key in enumerate(organisations)}
    n_orgs = len(organisations)
    result: dict[str, list[Recommendation]] = {key: [] for key in organisations}
    if not len(logits) or not n_orgs:
        return result
    need_org = np.array(
        [org_id[p.opportunity.organisation] for p in profiles.needs], dtype=np.int64
    )
    offer_org = np.array(
        [org_id[p.opportunity.organisation] for p in profiles.offers], dtype=np.int64
    )
    prob = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    # Directed links (seeker, provider): their best pair and their number of strong pairs.
    link = need_org[need_idx] * n_orgs + offer_org[offer_idx]
    order = np.lexsort((-prob, link))
    starts = np.flatnonzero(np.r_[True, link[order][1:] != link[order][:-1]])
    links = link[order][starts]  # sorted, unique
    best_position = order[starts]
    best = prob[best_position]
    strong = np.add.reduceat((prob[order] >= 0.5).astype(np.int64), starts)
    seeker, provider = np.divmod(links, n_orgs)
    reverse_at = _find_sorted(links, provider * n_orgs + seeker)
    has_reverse = reverse_at >= 0
    best_back = np.where(has_reverse, best[np.maximum(reverse_at, 0)], 0.0)
    strong_back = np.where(has_reverse, strong[np.maximum(reverse_at, 0)], 0)
    top, other = np.maximum(best, best_back), np.minimum(best, best_back)
    bonus = 0.05 * np.minimum(np.maximum(strong + strong_back - 1, 0), 4)
    score = np.minimum((top + 0.5 * other + bonus) / 1.7, 1.0)
    # One row per unordered pair, then both orientations (A lists B, B lists A).
    keep = (top >= 0.2) & (~has_reverse | (seeker < provider))
    a, b, pair_score = seeker[keep], provider[keep], score[keep]
    owner = np.concatenate([a, b])
    partner = np.concatenate([b, a])
    scores = np.concatenate([pair_score, pair_score])
    order = np.lexsort((partner, -scores, owner))
    bounds = np.searchsorted(owner[order], np.arange(n_orgs + 1))
    for org in range(n_orgs):
        key = organisations[org]
        shown = []
        for position in order[bounds[org] : bounds[org + 1]]:
            other_key = organisations[int(partner[position])]
            if (key, other_key) in excluded:
                continue
            shown.append((float(scores[position]), int(partner[position])))
            if len(shown) == top_k:
                break
        result[key] = [
            Recommendation(
                organisations[p],
                round(s, 4),
                explain_link(
                    profiles,
                    need_idx,
                    offer_idx,
                    _link_summary(links, best, best_position, org * n_orgs + p),
                    _link_summary(links, best, best_position, p * n_orgs + org),
                ),
            )
            for s, p in shown
        ]
    return result


def _find_sorted(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Index of each needle in the sorted unique `haystack`, or -1."""
    at = np.searchsorted(haystack, needles)
    at_clipped = np.minimum(at, len(haystack) - 1)
    return np.where(haystack[at_clipped] == needles, at_clipped, -1)


def _link_summary(
    links: np.ndarray, best: np.ndarray, best_position: np.ndarray, key: int
) -> tuple[float, int] | None:
    at = int(_find_sorted(links, np.array([key]))[0])
    return None if at < 0 else (float(best[at]), int(best_position[at]))
