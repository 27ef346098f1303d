"""Partner organisations, from the opportunity links between them in both directions."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

from superconnector.engine.matching.explain import explain_link
from superconnector.engine.matching.inputs import Link, Recommendation
from superconnector.engine.matching.profiles import Profiles

# A pair from this probability on is a link worth naming to a delegate ("answers your
# need X"), and counts as a strong link; below it a partner may still be listed (from
# PARTNER_FLOOR), but no need is said to be answered.
LINK_THRESHOLD = 0.5
PARTNER_FLOOR = 0.2
# ... and only if the offer is among the need's best few: a law firm's listing counsel
# scores 0.65 against a data-compliance need (a law firm, a professional service), but
# five offers answer that need better, and naming it would mislead.
LINK_RANK = 5
# The second-best pair between two organisations (in either direction) adds this much of
# its probability: a partner with two good answers beats one with a single equally good
# answer, but never one whose best answer is clearly better. On eval/matching, 0.1 to 0.2
# give the same people lists (person nDCG@5 0.865 against 0.831 for the best pair alone);
# the earlier rule (best + half the reverse direction + 0.05 per strong pair) scored 0.725
# there, because an unrelated weak reverse pair lifted look-alikes.
SECOND_LINK_WEIGHT = 0.15
LINKS_PER_DIRECTION = 3


def recommend_organisations(
    profiles: Profiles,
    need_idx: np.ndarray,
    offer_idx: np.ndarray,
    logits: np.ndarray,
    top_k: int,
    excluded: AbstractSet[tuple[str, str]] = frozenset(),
) -> dict[str, list[Recommendation]]:
    """Partner organisations from opportunity links in both directions.

    For A and B: the best pair between them, whichever side has the need, counts fully;
    the second-best adds SECOND_LINK_WEIGHT of its own. Array work throughout (a fair has
    millions of links); links and reasons are written only for the partners that are shown.
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
    # Directed links (seeker, provider), each a run of pairs in `order`, best pair first.
    link = need_org[need_idx] * n_orgs + offer_org[offer_idx]
    order = np.lexsort((-prob, link))
    starts = np.flatnonzero(np.r_[True, link[order][1:] != link[order][:-1]])
    ends = np.r_[starts[1:], len(order)]
    links = link[order][starts]  # sorted, unique
    best = prob[order[starts]]
    second = np.where(ends - starts > 1, prob[order[np.minimum(starts + 1, len(order) - 1)]], 0.0)
    seeker, provider = np.divmod(links, n_orgs)
    reverse_at = _find_sorted(links, provider * n_orgs + seeker)
    has_reverse = reverse_at >= 0
    back = np.maximum(reverse_at, 0)
    best_back = np.where(has_reverse, best[back], 0.0)
    second_back = np.where(has_reverse, second[back], 0.0)
    # The two best pairs of the four candidates (each direction's best and second).
    top_two = -np.sort(-np.stack([best, second, best_back, second_back]), axis=0)[:2]
    score = (top_two[0] + SECOND_LINK_WEIGHT * top_two[1]) / (1 + SECOND_LINK_WEIGHT)
    # One row per unordered pair, then both orientations (A lists B, B lists A).
    keep = (top_two[0] >= PARTNER_FLOOR) & (~has_reverse | (seeker < provider))
    a, b, pair_score = seeker[keep], provider[keep], score[keep]
    owner = np.concatenate([a, b])
    partner = np.concatenate([b, a])
    scores = np.concatenate([pair_score, pair_score])
    ranked = np.lexsort((partner, -scores, owner))
    bounds = np.searchsorted(owner[ranked], np.arange(n_orgs + 1))
    pairs = _Pairs(
        profiles,
        need_idx,
        offer_idx,
        prob,
        _rank_in_need(need_idx, prob),
        order,
        starts,
        ends,
        links,
        n_orgs,
    )
    for org in range(n_orgs):
        key = organisations[org]
        shown = []
        for position in ranked[bounds[org] : bounds[org + 1]]:
            other_key = organisations[int(partner[position])]
            if (key, other_key) in excluded:
                continue
            shown.append((float(scores[position]), int(partner[position])))
            if len(shown) == top_k:
                break
        result[key] = [_partner(organisations[p], s, pairs, org, p) for s, p in shown]
    return result


@dataclass(frozen=True)
class _Pairs:
    """The scored pairs grouped by directed link (runs of `order` from `starts` to `ends`,
    best pair first), for reading the links of the partners that are shown."""

    profiles: Profiles
    need_idx: np.ndarray
    offer_idx: np.ndarray
    prob: np.ndarray
    rank_in_need: np.ndarray  # each pair's place in its need's list, 0 the best
    order: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    links: np.ndarray
    n_orgs: int

    def strong_links(self, seeker: int, provider: int) -> list[tuple[Link, int]]:
        """(link, pair position) for each of the seeker's needs that one of the provider's
        offers answers at LINK_THRESHOLD or better, among the need's LINK_RANK best: its
        best offer, best links first."""
        at = int(_find_sorted(self.links, np.array([seeker * self.n_orgs + provider]))[0])
        if at < 0:
            return []
        found: list[tuple[Link, int]] = []
        needs_seen: set[int] = set()
        for position in self.order[self.starts[at] : self.ends[at]]:
            probability = float(self.prob[position])
            if probability < LINK_THRESHOLD or len(found) == LINKS_PER_DIRECTION:
                break
            need = int(self.need_idx[position])
            if need in needs_seen or self.rank_in_need[position] >= LINK_RANK:
                continue
            needs_seen.add(need)
            offer = int(self.offer_idx[position])
            link = Link(
                self.profiles.needs[need].opportunity.key,
                self.profiles.offers[offer].opportunity.key,
                round(probability, 4),
            )
            found.append((link, int(position)))
        return found


def _partner(key: str, score: float, pairs: _Pairs, org: int, partner: int) -> Recommendation:
    they_answer = pairs.strong_links(org, partner)
    we_answer = pairs.strong_links(partner, org)
    return Recommendation(
        key,
        round(score, 4),
        explain_link(
            pairs.profiles,
            pairs.need_idx,
            pairs.offer_idx,
            [position for _link, position in they_answer],
            [position for _link, position in we_answer],
        ),
        tuple(link for link, _position in they_answer + we_answer),
    )


def _rank_in_need(need_idx: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """Each pair's place among its need's pairs by probability (0 the best)."""
    order = np.lexsort((-prob, need_idx))
    starts = np.searchsorted(need_idx[order], need_idx[order], side="left")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts
    return rank


def _find_sorted(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Index of each needle in the sorted unique `haystack`, or -1."""
    at = np.searchsorted(haystack, needles)
    at_clipped = np.minimum(at, len(haystack) - 1)
    return np.where(haystack[at_clipped] == needles, at_clipped, -1)
