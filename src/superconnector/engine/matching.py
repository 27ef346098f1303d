"""Recommendations: needs to offers, offers to needs, organisations to organisations.

    profiles = build_profiles(opportunities, organisations, glossary)      # text work
    embeddings = embed_profiles(profiles, encoder, cache)                  # model work
    result = recommend(profiles, embeddings, config, feedback)             # scoring

Similarity alone ranks look-alikes first: another firm's need on the same topic, a
Nasdaq adviser for a Hong Kong listing, a warehouse in the wrong city. So every candidate
pair is scored on a few readable features (dense and lexical similarity, shared glossary
concepts, exclusive alternatives, category and organisation-kind fit, region fit, sectors,
who is seeking and who is providing capital) whose weighted sum ranks the pairs, and the
same features produce the reasons shown to a delegate.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from superconnector.engine import regions
from superconnector.engine.concepts import ConceptMatcher, capital_forms, is_service
from superconnector.engine.encoders import EmbeddingCache, Encoder, encode_cached
from superconnector.engine.retrieval import BM25Index, DenseIndex, top_k_rows
from superconnector.engine.text import add_dictionary_words, normalise, to_traditional, tokenize

Progress = Callable[[str, float], None]


# --- inputs and outputs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    kind: str
    region: str = ""
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opportunity:
    key: str
    organisation: str
    direction: str  # "offer" or "need"
    category: str
    title: str
    description: str = ""
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    language: str = "en"


@dataclass(frozen=True)
class Feedback:
    """A verdict of one organisation's delegates on a recommended opportunity or organisation."""

    organisation: str  # who gave it
    target: str  # an opportunity key or an organisation key
    target_kind: str  # "opportunity" or "organisation"
    verdict: str  # "not_relevant", "already_know" or "competitor"


@dataclass
class Recommendation:
    target: str
    score: float
    reasons: list[str]


@dataclass
class MatchResult:
    needs: dict[str, list[Recommendation]] = field(default_factory=dict)
    offers: dict[str, list[Recommendation]] = field(default_factory=dict)
    organisations: dict[str, list[Recommendation]] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class Weights:
    """Weights of the pair features; tuned on eval/matching, kept few and round."""

    dense: float = 0.45  # per standard deviation above the need's mean cosine
    lexical: float = 0.8  # BM25, relative to the need's best
    ask: float = 1.2  # share of the concepts the need asks for (its title's) that the offer has
    concepts: float = 1.6  # share of the need's (idf-weighted) concepts the offer has
    conflict: float = 1.6  # per exclusive alternative offered instead of the wanted one
    category: float = 1.0  # need category vs offer category
    kind: float = 0.9  # offering organisation's kind suits what is needed
    region_match: float = 0.3
    region_mismatch: float = 1.6  # stated regions that cannot meet
    region_mismatch_text: float = 0.8  # regions only read from the text
    sectors: float = 0.4
    sector_mismatch: float = 0.6
    capital_clash: float = 2.0  # both sides seek capital
    capital_fit: float = 0.5  # the need seeks capital, the offer provides it
    disguised_need: float = 1.0  # the "offer" is itself looking for something
    feedback_similar: float = 1.5  # lowered when close to something marked not relevant
    bias: float = -2.0  # puts the logistic's midpoint near a fair match


@dataclass
class MatchingConfig:
    top_k: int = 10
    dense_candidates: int = 100
    lexical_candidates: int = 50
    exhaustive_below: int = 250_000  # score every pair when needs x offers is below this
    ann_threshold: int = 50_000
    weights: Weights = field(default_factory=Weights)


# --- profiles: the text work, done once per opportunity ------------------------------------------


@dataclass
class Profile:
    opportunity: Opportunity
    organisation: Organisation
    normalised: str
    tokens: list[str]
    concepts: dict[str, str]  # concept id -> matched term (normalised), affirmed mentions only
    salience: dict[str, float]  # 1.0 for concepts in the title, less for the description only
    negated: frozenset[str]  # concepts the text rules out ("not Nasdaq", "放弃科创板")
    ask: frozenset[str]  # what a need asks for: its title's concepts (services, for service needs)
    title_concepts: frozenset[str]  # affirmed concepts named in the title
    seeking_offer: bool  # an offer whose title says it is looking for something: a need in disguise
    stated_places: frozenset[str]
    text_places: frozenset[str]
    sectors: frozenset[str]
    seeks_capital: bool
    provides_capital: bool

    @property
    def text(self) -> str:
        return f"{self.opportunity.title}\n{self.opportunity.description}".strip()


@dataclass
class Profiles:
    needs: list[Profile]
    offers: list[Profile]
    organisations: dict[str, Organisation]
    glossary: ConceptMatcher | None
    concept_idf: dict[str, float]


CAPITAL_PROVIDERS = {"investor", "financial_institution"}
# An offer titled "…: seeking overseas distributors" / "寻求海外分销" is a need filed as an offer.
SEEKING_TITLE = re.compile(
    r"(?<![a-z])(seeking|looking for|wanted|in search of)(?![a-z])|寻求|寻找|征集|诚招|诚寻"
)
CO_INVESTMENT = re.compile(
    r"co-?invest|syndicat|limited partner|(?<![a-z])lps?(?![a-z])|跟投|联合投资|共同投资|有限合伙人|募资|募集"
)
SEEKING_CONCEPTS = {"capital_seeking"}
PROVIDING_CONCEPTS = {"capital_providing"}


def build_profiles(
    opportunities: Iterable[Opportunity],
    organisations: Iterable[Organisation],
    glossary: ConceptMatcher | None = None,
) -> Profiles:
    """Normalise, tokenise and annotate every opportunity (no model involved)."""
    orgs = {org.key: org for org in organisations}
    if glossary is not None:
        add_dictionary_words(glossary.jieba_words())
    needs, offers = [], []
    for opportunity in opportunities:
        organisation = orgs.get(opportunity.organisation) or Organisation(
            opportunity.organisation, opportunity.organisation, "enterprise"
        )
        profile = _profile(opportunity, organisation, glossary)
        (needs if opportunity.direction == "need" else offers).append(profile)
    everyone = needs + offers
    document_frequency: dict[str, int] = defaultdict(int)
    for profile in everyone:
        for concept in profile.concepts:
            document_frequency[concept] += 1
    total = max(len(everyone), 1)
    concept_idf = {c: math.log(1 + total / (1 + n)) for c, n in document_frequency.items()}
    return Profiles(needs, offers, orgs, glossary, concept_idf)


DESCRIPTION_SALIENCE = 0.5  # a concept only in the description counts half as much


def _profile(opportunity: Opportunity, organisation: Organisation, glossary) -> Profile:
    normalised = normalise(f"{opportunity.title} {opportunity.description}")
    mentions = glossary.find_with_negation(normalised, normalised=True) if glossary else {}
    concepts = {c: term for c, (term, negated) in mentions.items() if not negated}
    negated = frozenset(c for c, (_term, negated) in mentions.items() if negated)
    in_title = (
        set(glossary.find(normalise(opportunity.title), normalised=True)) if glossary else set()
    )
    salience = {c: 1.0 if c in in_title else DESCRIPTION_SALIENCE for c in concepts}
    ask = _ask(opportunity, in_title & concepts.keys(), glossary)
    sectors = frozenset(opportunity.sectors or organisation.sectors)
    tokens = tokenize(normalised, normalised=True)
    # Concept and sector tokens let BM25 meet across languages: 信保 and "trade credit
    # insurance" both index as the concept.
    tokens += [f"#c:{c}" for c in concepts] + [f"#s:{s}" for s in sectors]
    stated = regions.places_of(opportunity.regions)
    seeks, provides = _capital_direction(opportunity, organisation, concepts)
    return Profile(
        opportunity=opportunity,
        organisation=organisation,
        normalised=normalised,
        tokens=tokens,
        concepts=concepts,
        salience=salience,
        negated=negated,
        ask=ask,
        title_concepts=frozenset(in_title & concepts.keys()),
        seeking_offer=opportunity.direction == "offer"
        and bool(SEEKING_TITLE.search(normalise(opportunity.title))),
        stated_places=frozenset(stated),
        text_places=frozenset(regions.find_places(normalised)),
        sectors=sectors,
        seeks_capital=seeks,
        provides_capital=provides,
    )


SERVICE_CATEGORIES = {"professional_service", "investment", "market_access", "talent"}


def _ask(opportunity: Opportunity, title_concepts: set[str], glossary) -> frozenset[str]:
    """The concepts a need asks for. A service need's title also names its own product
    ("trade credit insurance for our battery exports"): only the services count then."""
    if opportunity.direction != "need" or not title_concepts or glossary is None:
        return frozenset()
    if opportunity.category in SERVICE_CATEGORIES:
        services = {c for c in title_concepts if is_service(glossary.concepts[c])}
        if services:
            return frozenset(services)
    return frozenset(title_concepts)


def _capital_direction(
    opportunity: Opportunity, organisation: Organisation, concepts: dict[str, str]
) -> tuple[bool, bool]:
    """(seeks capital, provides capital) for an opportunity.

    Who writes decides: an investor's or a bank's investment opportunity provides capital
    (even a *need*: it needs deals); anybody else's seeks it (even an *offer* of "an
    investment opportunity in our round"). Explicit phrases settle the other cases.
    A start-up's need for "a lead investor" (领投方) names what it wants, not what it is.
    """
    provider = organisation.kind in CAPITAL_PROVIDERS
    if opportunity.category == "investment":
        if provider and opportunity.direction == "need":
            # An investor's need is deal flow, unless it looks for co-investors or LPs.
            text = normalise(f"{opportunity.title} {opportunity.description}")
            wants_money = bool(CO_INVESTMENT.search(text)) or bool(
                SEEKING_CONCEPTS & concepts.keys()
            )
            return (wants_money, not wants_money)
        return (not provider, provider)
    if opportunity.direction == "need":
        return (bool(SEEKING_CONCEPTS & concepts.keys()) and not provider, False)
    seeks = bool(SEEKING_CONCEPTS & concepts.keys()) and not provider
    provides = bool(PROVIDING_CONCEPTS & concepts.keys()) and not seeks
    return seeks, provides


# --- embeddings ------------------------------------------------------------------------------


@dataclass
class Embeddings:
    needs: np.ndarray  # queries
    offers: np.ndarray  # passages
    encoded: int  # how many texts the model actually encoded (the rest came from the cache)
    model: str


def embed_profiles(
    profiles: Profiles,
    encoder: Encoder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
) -> Embeddings:
    """Needs as e5 queries, offers as passages; cached by model, role and text hash."""

    def report(stage: str):
        return (lambda done, total: progress(stage, done / max(total, 1))) if progress else None

    needs, n_new = encode_cached(
        encoder, [p.text for p in profiles.needs], "query", cache, report("encoding needs")
    )
    offers, o_new = encode_cached(
        encoder, [p.text for p in profiles.offers], "passage", cache, report("encoding offers")
    )
    return Embeddings(needs, offers, n_new + o_new, encoder.name)


# --- compatibility tables --------------------------------------------------------------------

CATEGORY_FIT: dict[str, dict[str, float]] = {
    "technology": {
        "technology": 1.0,
        "partnership": 0.6,
        "procurement": 0.3,
        "professional_service": 0.2,
        "market_access": 0.2,
        "talent": 0.1,
    },
    "investment": {"investment": 1.0, "partnership": 0.3},
    "market_access": {
        "market_access": 1.0,
        "professional_service": 0.7,
        "partnership": 0.6,
        "procurement": 0.4,
    },
    "professional_service": {
        "professional_service": 1.0,
        "market_access": 0.5,
        "investment": 0.3,
        "partnership": 0.3,
    },
    "partnership": {
        "partnership": 1.0,
        "technology": 0.7,
        "procurement": 0.6,
        "market_access": 0.6,
        "investment": 0.3,
        "professional_service": 0.3,
        "talent": 0.3,
    },
    "talent": {"talent": 1.0, "professional_service": 0.5, "partnership": 0.3},
    "procurement": {
        "procurement": 1.0,
        "technology": 0.6,
        "partnership": 0.6,
        "market_access": 0.3,
    },
}
KIND_FIT: dict[str, dict[str, float]] = {
    "investment": {"investor": 1.0, "financial_institution": 0.9, "government": 0.4},
    "professional_service": {
        "service_provider": 1.0,
        "financial_institution": 0.8,
        "government": 0.4,
        "association": 0.4,
        "chamber": 0.4,
        "university": 0.2,
        "research_institution": 0.2,
    },
    "market_access": {
        "service_provider": 0.8,
        "government": 0.8,
        "chamber": 0.8,
        "association": 0.7,
        "enterprise": 0.5,
        "financial_institution": 0.4,
        "startup": 0.3,
    },
    "technology": {
        "research_institution": 1.0,
        "university": 1.0,
        "enterprise": 0.7,
        "startup": 0.7,
        "service_provider": 0.2,
    },
    "talent": {"service_provider": 0.8, "university": 0.8, "government": 0.6, "association": 0.4},
    "procurement": {
        "enterprise": 0.9,
        "startup": 0.7,
        "research_institution": 0.4,
        "service_provider": 0.3,
    },
    "partnership": {
        "enterprise": 0.8,
        "startup": 0.7,
        "research_institution": 0.7,
        "university": 0.6,
        "service_provider": 0.5,
        "government": 0.4,
    },
}


# --- scoring ---------------------------------------------------------------------------------


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
    shared_sectors: set[str]
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
    groups: dict[str, float] = {}
    for concept in conflicts:
        group = profiles.glossary.concepts[concept].group
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

DEAL_FIT = {"startup": 1.0, "enterprise": 0.9, "research_institution": 0.5, "university": 0.5}


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


# --- candidate generation --------------------------------------------------------------------


@dataclass
class Candidates:
    """Candidate (need, offer) pairs as flat arrays, with their raw similarities."""

    need: np.ndarray  # int32 indices into profiles.needs
    offer: np.ndarray  # int32 indices into profiles.offers
    cosine: np.ndarray  # float32
    lexical: np.ndarray  # float32 BM25
    mean: np.ndarray  # per need: mean cosine to the offers (for standardising)
    std: np.ndarray


def candidate_pairs(
    profiles: Profiles, embeddings: Embeddings, config: MatchingConfig, block: int = 512
) -> Candidates:
    """The pairs worth scoring.

    Small events: every pair. Large ones: each need's nearest offers by dense similarity
    and by BM25, and each offer's nearest needs (so that offers get lists too).
    """
    n_needs, n_offers = len(profiles.needs), len(profiles.offers)
    if not n_needs or not n_offers:
        empty = np.zeros(0, dtype=np.int32)
        return Candidates(
            empty,
            empty,
            empty.astype(np.float32),
            empty.astype(np.float32),
            np.zeros(n_needs),
            np.ones(n_needs),
        )
    mean, std = _cosine_moments(embeddings)
    bm25 = BM25Index([p.tokens for p in profiles.offers])
    queries = bm25.query_matrix([p.tokens for p in profiles.needs])
    if n_needs * n_offers <= config.exhaustive_below:
        need = np.repeat(np.arange(n_needs, dtype=np.int32), n_offers)
        offer = np.tile(np.arange(n_offers, dtype=np.int32), n_needs)
        cosine = (embeddings.needs @ embeddings.offers.T).ravel()
        lexical = (queries @ bm25.matrix.T).toarray().ravel()
        return Candidates(
            need, offer, cosine.astype(np.float32), lexical.astype(np.float32), mean, std
        )
    # Each offer's nearest needs, so that every offer has a list of its own.
    near_needs, _ = DenseIndex(embeddings.needs, ann_threshold=config.ann_threshold).search(
        embeddings.offers, max(config.dense_candidates // 4, 10)
    )
    chosen_by: list[list[int]] = [[] for _ in range(n_needs)]
    for j, needs in enumerate(near_needs):
        for i in needs.tolist():
            chosen_by[i].append(j)
    offers_index = DenseIndex(embeddings.offers, ann_threshold=config.ann_threshold)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    # Needs go through in blocks: the full needs x offers BM25 matrix of a 20,000-person
    # event has tens of millions of entries, a block only a slice of them.
    for start in range(0, n_needs, block):
        stop = min(start + block, n_needs)
        near, _similarity = offers_index.search(
            embeddings.needs[start:stop], config.dense_candidates
        )
        lexical = (queries[start:stop] @ bm25.matrix.T).toarray()
        best_lexical = top_k_rows(lexical, config.lexical_candidates)
        for row, i in enumerate(range(start, stop)):
            picked = set(near[row].tolist()) | set(chosen_by[i])
            picked |= {int(j) for j in best_lexical[row] if lexical[row, j] > 0}
            columns = np.fromiter(sorted(picked), dtype=np.int32, count=len(picked))
            parts.append(
                (
                    np.full(len(columns), i, dtype=np.int32),
                    columns,
                    embeddings.offers[columns] @ embeddings.needs[i],
                    lexical[row, columns],
                )
            )
    return Candidates(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]).astype(np.float32),
        np.concatenate([p[3] for p in parts]).astype(np.float32),
        mean,
        std,
    )


def _cosine_moments(
    embeddings: Embeddings, sample: int = 512, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Each need's mean and spread of cosine to the offers, from a fixed random sample."""
    offers = embeddings.offers
    if len(offers) > sample:
        rng = np.random.default_rng(seed)
        offers = offers[rng.choice(len(offers), sample, replace=False)]
    cosines = embeddings.needs @ offers.T
    return cosines.mean(axis=1), np.maximum(cosines.std(axis=1), 1e-3)


# --- the whole run ---------------------------------------------------------------------------


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

    def explain(position: int, for_need: bool) -> list[str]:
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
    best_lexical = np.zeros(len(profiles.needs), dtype=np.float32)
    if n:
        np.maximum.at(best_lexical, candidates.need, candidates.lexical)
    lexical = np.where(
        best_lexical[candidates.need] > 0,
        candidates.lexical / np.maximum(best_lexical[candidates.need], 1e-9),
        0.0,
    ).astype(np.float32)
    dense_z = (
        (candidates.cosine - candidates.mean[candidates.need]) / candidates.std[candidates.need]
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
):
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


# --- organisations ---------------------------------------------------------------------------


def recommend_organisations(
    profiles: Profiles,
    need_idx: np.ndarray,
    offer_idx: np.ndarray,
    logits: np.ndarray,
    top_k: int,
    excluded: set[tuple[str, str]] = frozenset(),
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
                _explain_link(
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


def _link_summary(links, best, best_position, key: int) -> tuple[float, int] | None:
    at = int(_find_sorted(links, np.array([key]))[0])
    return None if at < 0 else (float(best[at]), int(best_position[at]))


def _explain_link(profiles: Profiles, need_idx, offer_idx, they_answer, we_answer) -> list[str]:
    """Reasons for a partner: (best probability, pair position) of each direction, if any."""
    reasons = []
    if they_answer and they_answer[0] >= 0.2:
        p = they_answer[1]
        reasons.append(
            reason(
                "answers_need_with",
                need=profiles.needs[int(need_idx[p])].opportunity.title,
                offer=profiles.offers[int(offer_idx[p])].opportunity.title,
            )
        )
    if we_answer and we_answer[0] >= 0.2:
        p = we_answer[1]
        reasons.append(
            reason(
                "looking_for_yours",
                need=profiles.needs[int(need_idx[p])].opportunity.title,
                offer=profiles.offers[int(offer_idx[p])].opportunity.title,
            )
        )
    if len(reasons) == 2:
        reasons.append(reason("mutual"))
    return reasons


# --- reasons ---------------------------------------------------------------------------------

# Every reason the engine gives, by code. The web layer finds the code and the values again
# from these same templates to show the reason in the reader's language (see
# matchmaking/domain/reasons.py), so a change here is a change there.
REASONS = {
    "answers_need_with": "Answers your need “{need}” with “{offer}”",
    "looking_for_yours": "They are looking for what you offer: “{need}” (your “{offer}”)",
    "mutual": "Mutual interest: each side has something the other needs",
    "answers_need_for": (
        "Answers your need for {need_category}: {organisation} ({kind}) offers {offer_category}"
    ),
    "needs_your_offer": "They are looking for what you offer: {organisation} needs “{need}”",
    "matched_terms": "Matched terms: {terms}",
    "cross_language": "Cross-language match ({need_language} need, {offer_language} offer)",
    "region_fit": "Region fit: {places}",
    "shared_sectors": "Shared sectors: {sectors}",
    "provides_capital": "Provides capital: {kind}",
    "caution_region": "Caution: the offer may not cover the region you need",
    "caution_service": "Caution: offers a related but different service",
}


def reason(code: str, **values: str) -> str:
    """A reason in English, from its template."""
    return REASONS[code].format(**values)


CATEGORY_LABELS = {
    "technology": "technology",
    "investment": "investment",
    "market_access": "market access",
    "professional_service": "professional services",
    "partnership": "partnership",
    "talent": "talent",
    "procurement": "procurement",
}
KIND_LABELS = {
    "investor": "an investor",
    "financial_institution": "a bank or financial institution",
    "service_provider": "a professional service provider",
    "research_institution": "a research institution",
    "university": "a university",
    "government": "a government body",
    "chamber": "a chamber of commerce",
    "association": "an association",
    "enterprise": "an enterprise",
    "startup": "a start-up",
}


def _display_term(term: str, language: str) -> str:
    return to_traditional(term) if language == "zh-Hant" else term


def _term_reasons(need: Profile, offer: Profile, features: PairFeatures) -> list[str]:
    if not features.shared_concepts:
        return []
    terms = []
    for concept in features.shared_concepts[:3]:
        mine = _display_term(need.concepts[concept], need.opportunity.language)
        theirs = _display_term(offer.concepts[concept], offer.opportunity.language)
        terms.append(mine if mine == theirs else f"{mine} ↔ {theirs}")
    return [reason("matched_terms", terms="; ".join(terms))]


def _common_reasons(need: Profile, offer: Profile, features: PairFeatures) -> list[str]:
    reasons = []
    if need.opportunity.language != offer.opportunity.language:
        reasons.append(
            reason(
                "cross_language",
                need_language=_language_name(need.opportunity.language),
                offer_language=_language_name(offer.opportunity.language),
            )
        )
    if features.region == "match" and features.shared_places:
        names = ", ".join(sorted(regions.label(p) for p in features.shared_places))
        reasons.append(reason("region_fit", places=names))
    if features.shared_sectors:
        reasons.append(reason("shared_sectors", sectors=", ".join(sorted(features.shared_sectors))))
    if features.capital == "fit":
        reasons.append(
            reason("provides_capital", kind=KIND_LABELS.get(offer.organisation.kind, "an investor"))
        )
    if features.region in ("mismatch", "mismatch_text"):
        reasons.append(reason("caution_region"))
    if features.conflicts or features.ruled_out:
        reasons.append(reason("caution_service"))
    return reasons


def explain_for_need(need: Profile, offer: Profile, features: PairFeatures) -> list[str]:
    category = CATEGORY_LABELS.get(offer.opportunity.category, offer.opportunity.category)
    who = KIND_LABELS.get(offer.organisation.kind, "an organisation")
    reasons = [
        reason(
            "answers_need_for",
            need_category=CATEGORY_LABELS.get(need.opportunity.category, "support"),
            organisation=offer.organisation.name,
            kind=who,
            offer_category=category,
        )
    ]
    return reasons + _term_reasons(need, offer, features) + _common_reasons(need, offer, features)


def explain_for_offer(need: Profile, offer: Profile, features: PairFeatures) -> list[str]:
    reasons = [
        reason("needs_your_offer", organisation=need.organisation.name, need=need.opportunity.title)
    ]
    return reasons + _term_reasons(need, offer, features) + _common_reasons(need, offer, features)


def _language_name(code: str) -> str:
    return {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese"}.get(
        code, code
    )
