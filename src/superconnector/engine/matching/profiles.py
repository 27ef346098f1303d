"""Profiles: the text work (normalising, concepts, places, capital direction), done once
per opportunity before any model or pair is involved."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from superconnector.engine import regions
from superconnector.engine.concepts import ConceptMatcher, is_service
from superconnector.engine.matching.inputs import Opportunity, Organisation
from superconnector.engine.text import add_dictionary_words, normalise, tokenize


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
    needs: list[Profile] = []
    offers: list[Profile] = []
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


def _profile(
    opportunity: Opportunity, organisation: Organisation, glossary: ConceptMatcher | None
) -> Profile:
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


def _ask(
    opportunity: Opportunity, title_concepts: set[str], glossary: ConceptMatcher | None
) -> frozenset[str]:
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
