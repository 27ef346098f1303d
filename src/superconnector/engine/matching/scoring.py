"""Scoring: the readable features of a (need, offer) pair and their weighted sum."""

from __future__ import annotations

import math
from dataclasses import dataclass

from superconnector.engine import regions
from superconnector.engine.concepts import capital_forms
from superconnector.engine.matching.fit import CATEGORY_FIT, DEAL_FIT, KIND_FIT
from superconnector.engine.matching.inputs import Weights
from superconnector.engine.matching.profiles import Profile, Profiles


@dataclass
class PairFeatures:
    dense: float
    lexical: float
    concept_share: float
    shared_concepts: list[str]
    conflicts: set[str]
    conflict_weight: float  # salience-weighted number of exclusive groups in conflict
    ask_coverage: float | None  # share of what the need asks for that the offer covers
    ruled_out: set[str]  # concepts the need excludes and the offer is about
    category: float
    kind: float
    region: str  # "match", "mismatch", "mismatch_text" or ""
    shared_places: set[str]
    sector_share: float
    shared_sectors: frozenset[str]
    sector_mismatch: bool  # a mandate-driven need and a non-service offer share no sector
    capital: str  # "clash", "fit" or ""
    disguised_need: bool  # the offer's title says it is itself looking for something


def pair_features(
    need: Profile, offer: Profile, dense_z: float, lexical: float, profiles: Profiles
) -> PairFeatures:
    shared = sorted(
        (c for c in need.concepts if c in offer.concepts), key=lambda c: -need.salience[c]
    )
    idf = profiles.concept_idf
    need_mass = sum(idf.get(c, 1.0) * need.salience[c] for c in need.concepts)
    # A concept counts fully when both sides name it in their title; an offer that only
    # mentions it in passing ("registration is a prerequisite for our enforcement work")
    # is not an offer of it.
    weighted = sum(idf.get(c, 1.0) * need.salience[c] * offer.salience[c] for c in shared)
    share = weighted / need_mass if need_mass else 0.0
    # Conflicts are judged on what the offer is about: its title, when the title says.
    offer_core = offer.title_concepts or frozenset(offer.concepts)
    conflicts = (
        profiles.glossary.conflicts(need.concepts, offer_core) if profiles.glossary else set()
    )
    groups: dict[str | None, float] = {}  # exclusive group -> salience of the conflict
    for concept in conflicts:
        # Conflicts come from the glossary, so it is there whenever there are any.
        group = profiles.glossary.concepts[concept].group if profiles.glossary else None
        groups[group] = max(groups.get(group, 0.0), need.salience[concept])
    if profiles.glossary is not None and need.seeks_capital:
        wanted = capital_forms(need.concepts, profiles.glossary)
        offered = capital_forms(offer_core, profiles.glossary) or capital_forms(
            offer.concepts, profiles.glossary
        )
        if wanted and offered and not wanted & offered:
            # Debt wanted, only equity offered (or the reverse): a conflict of its own.
            salience = max(
                need.salience[c] for c in need.concepts if capital_forms([c], profiles.glossary)
            )
            groups["capital_form"] = salience
            conflicts = conflicts | {"capital_form"}
    ruled_out = set(need.negated & offer.concepts.keys()) - need.concepts.keys()
    ask_coverage = None
    if need.ask:
        # Each asked concept is covered by the offer's concept of the same unit: fully if
        # the offer's title names it, half if only its description does.
        glossary = profiles.glossary.concepts if profiles.glossary is not None else {}
        by_unit: dict[str, float] = {}
        for concept in offer.concepts:
            unit = glossary[concept].unit if concept in glossary else concept
            by_unit[unit] = max(by_unit.get(unit, 0.0), offer.salience[concept])
        covered = sum(by_unit.get(glossary[c].unit if c in glossary else c, 0.0) for c in need.ask)
        ask_coverage = covered / len(need.ask)
    region, places = _region_fit(need, offer)
    sector_union = need.sectors | offer.sectors
    shared_sectors = need.sectors & offer.sectors
    capital = ""
    if need.seeks_capital:
        # Someone else looking for money does not answer a need for money.
        capital = "fit" if offer.provides_capital else "clash" if offer.seeks_capital else ""
    elif need.provides_capital:
        # An investor looking for deals is answered by those raising, not by other investors.
        capital = "fit" if offer.seeks_capital else "clash" if offer.provides_capital else ""
    return PairFeatures(
        dense=dense_z,
        lexical=lexical,
        concept_share=share,
        shared_concepts=shared,
        conflicts=conflicts,
        conflict_weight=min(sum(groups.values()), 2.0),
        ask_coverage=ask_coverage,
        ruled_out=ruled_out,
        category=CATEGORY_FIT.get(need.opportunity.category, {}).get(
            offer.opportunity.category, 0.0
        ),
        kind=_kind_fit(need, offer),
        region=region,
        shared_places=places,
        sector_share=len(shared_sectors) / len(sector_union) if sector_union else 0.0,
        sector_mismatch=(
            need.opportunity.category in MANDATE_CATEGORIES
            and offer.organisation.kind not in INTERMEDIARIES
            and bool(need.sectors)
            and bool(offer.sectors)
            and not shared_sectors
        ),
        shared_sectors=shared_sectors,
        capital=capital,
        disguised_need=offer.seeking_offer,
    )


# Needs where the sector is part of the ask (an investor's mandate, a technology), and the
# kinds of organisation whose sectors are their own trade rather than their clients'.
MANDATE_CATEGORIES = {"investment", "technology", "procurement"}
INTERMEDIARIES = {"service_provider", "government", "chamber", "association"}


def _kind_fit(need: Profile, offer: Profile) -> float:
    """How well the offering organisation's kind suits the need (investors need deals)."""
    if need.opportunity.category == "investment" and need.provides_capital:
        return DEAL_FIT.get(offer.organisation.kind, 0.0)
    return KIND_FIT.get(need.opportunity.category, {}).get(offer.organisation.kind, 0.0)


def _region_fit(need: Profile, offer: Profile) -> tuple[str, set[str]]:
    """Does the offer's place meet the need's place? Stated regions count more than text."""
    wanted = need.stated_places or need.text_places
    offered = offer.stated_places or offer.text_places
    verdict = regions.compatible(wanted, offered)
    if verdict is None:
        return "", set()
    if verdict:
        shared = {
            w for w in wanted for o in offered if regions.within(o, w) or regions.within(w, o)
        }
        return "match", shared
    stated = bool(need.stated_places) and bool(offer.stated_places)
    return ("mismatch" if stated else "mismatch_text"), set()


def score_pair(features: PairFeatures, weights: Weights) -> float:
    """The pair's ranking score (a logit); see Weights for the meaning of each term."""
    w = weights
    score = (
        w.bias
        + w.dense * max(-3.0, min(3.0, features.dense))
        + w.lexical * features.lexical
        + w.concepts * features.concept_share
        + (w.ask * features.ask_coverage if features.ask_coverage is not None else 0.0)
        - w.conflict * features.conflict_weight
        - w.conflict * min(len(features.ruled_out), 1)
        + w.category * features.category
        + w.kind * features.kind
        + w.sectors * features.sector_share
        - w.sector_mismatch * features.sector_mismatch
    )
    if features.region == "match":
        score += w.region_match
    elif features.region == "mismatch":
        score -= w.region_mismatch
    elif features.region == "mismatch_text":
        score -= w.region_mismatch_text
    if features.disguised_need:
        score -= w.disguised_need
    if features.capital == "clash":
        score -= w.capital_clash
    elif features.capital == "fit":
        score += w.capital_fit
    return score


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-logit))
