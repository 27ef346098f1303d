"""Reasons for a recommended pair or partner, from the same features that ranked it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from superconnector import vocabulary
from superconnector.engine import regions
from superconnector.engine.matching.profiles import Profile, Profiles
from superconnector.engine.matching.reasons import (
    UNKNOWN_CATEGORY,
    UNKNOWN_KIND,
    Reason,
    reason,
)
from superconnector.engine.matching.scoring import PairFeatures
from superconnector.engine.text import to_traditional


def _display_term(term: str, language: str) -> str:
    return to_traditional(term) if language == "zh-Hant" else term


def _term_reasons(need: Profile, offer: Profile, features: PairFeatures) -> list[Reason]:
    if not features.shared_concepts:
        return []
    terms = []
    for concept in features.shared_concepts[:3]:
        mine = _display_term(need.concepts[concept], need.opportunity.language)
        theirs = _display_term(offer.concepts[concept], offer.opportunity.language)
        terms.append(mine if mine == theirs else f"{mine} ↔ {theirs}")
    return [reason("matched_terms", terms="; ".join(terms))]


def _common_reasons(need: Profile, offer: Profile, features: PairFeatures) -> list[Reason]:
    reasons = []
    if need.opportunity.language != offer.opportunity.language:
        reasons.append(
            reason(
                "cross_language",
                need_language=need.opportunity.language,
                offer_language=offer.opportunity.language,
            )
        )
    if features.region == "match" and features.shared_places:
        names = ", ".join(sorted(regions.label(p) for p in features.shared_places))
        reasons.append(reason("region_fit", places=names))
    if features.shared_sectors:
        reasons.append(reason("shared_sectors", sectors=", ".join(sorted(features.shared_sectors))))
    if features.capital == "fit":
        kind = offer.organisation.kind
        reasons.append(
            reason(
                "provides_capital",
                kind=kind if kind in vocabulary.ORGANISATION_KINDS else "investor",
            )
        )
    if features.region in ("mismatch", "mismatch_text"):
        reasons.append(reason("caution_region"))
    if features.conflicts or features.ruled_out:
        reasons.append(reason("caution_service"))
    return reasons


def explain_for_need(need: Profile, offer: Profile, features: PairFeatures) -> list[Reason]:
    need_category = need.opportunity.category
    kind = offer.organisation.kind
    reasons = [
        reason(
            "answers_need_for",
            need_category=need_category
            if need_category in vocabulary.CATEGORIES
            else UNKNOWN_CATEGORY,
            organisation=offer.organisation.name,
            kind=kind if kind in vocabulary.ORGANISATION_KINDS else UNKNOWN_KIND,
            # An unknown offer category is shown as its code (the renderer keeps it as is).
            offer_category=offer.opportunity.category,
        )
    ]
    return reasons + _term_reasons(need, offer, features) + _common_reasons(need, offer, features)


def explain_for_offer(need: Profile, offer: Profile, features: PairFeatures) -> list[Reason]:
    reasons = [
        reason("needs_your_offer", organisation=need.organisation.name, need=need.opportunity.title)
    ]
    return reasons + _term_reasons(need, offer, features) + _common_reasons(need, offer, features)


def explain_link(
    profiles: Profiles,
    need_idx: np.ndarray,
    offer_idx: np.ndarray,
    they_answer: Sequence[int],
    we_answer: Sequence[int],
) -> list[Reason]:
    """Reasons for a partner: one per link that clears the threshold (pair positions, best
    first), theirs answering our needs, then ours answering theirs; "mutual" when both."""
    reasons = []
    for code, positions in (("answers_need_with", they_answer), ("looking_for_yours", we_answer)):
        for p in positions:
            reasons.append(
                reason(
                    code,
                    need=profiles.needs[int(need_idx[p])].opportunity.title,
                    offer=profiles.offers[int(offer_idx[p])].opportunity.title,
                )
            )
    if they_answer and we_answer:
        reasons.append(reason("mutual"))
    return reasons
