"""A bilingual glossary of domain concepts, found in text in any of the three scripts.

Each concept has English and Chinese terms (Chinese in Simplified; text is converted
before matching, so Traditional matches too). Concepts in an *exclusive* group are
alternatives: an offer for trademark enforcement does not answer a need for trademark
registration, and an adviser on a Nasdaq listing does not answer a need for a Hong Kong
listing. Shared concepts also give the "matched terms" of a recommendation's reasons,
translated when the need and the offer are written in different languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from superconnector.engine.text import normalise

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_EN_WORD = re.compile(r"[a-z0-9]+(?:[.'+][a-z0-9]+)*")


@dataclass(frozen=True)
class Concept:
    id: str
    group: str | None
    exclusive: bool
    en: tuple[str, ...]
    zh: tuple[str, ...]
    alternative: str | None = None  # unit within an exclusive group; defaults to the id

    @property
    def unit(self) -> str:
        return self.alternative or self.id


# Words skipped inside phrases, so "register our trademarks" meets "register a trademark".
_FILLERS = frozenset({"a", "an", "the", "our", "your", "their", "its", "my", "of", "for", "to"})


def _stem(word: str) -> str:
    """Crude, consistent suffix folding (licence/licensing/licensed -> licens), applied to
    glossary terms and text alike, which is all that matters for matching."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _en_words(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of the content words of a normalised text."""
    return [
        (_stem(m.group()), m.start(), m.end())
        for m in _EN_WORD.finditer(text)
        if m.group() not in _FILLERS
    ]


def _en_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem for stem, _s, _e in _en_words(normalise(phrase)))


class ConceptMatcher:
    """Finds glossary concepts in text: English by word n-grams, Chinese by substrings."""

    def __init__(self, concepts: Iterable[dict[str, Any] | Concept]) -> None:
        self.concepts: dict[str, Concept] = {}
        self._en: dict[tuple[str, ...], set[str]] = {}
        self._zh: dict[str, set[str]] = {}
        self._mixed: dict[str, set[str]] = {}
        for raw in concepts:
            concept = raw if isinstance(raw, Concept) else _concept_from_dict(raw)
            self.concepts[concept.id] = concept
            for term in concept.en:
                key = _en_key(term)
                if key:
                    self._en.setdefault(key, set()).add(concept.id)
            for term in concept.zh:
                folded = re.sub(r"\s+", "", normalise(term))
                if len(folded) < 2:
                    continue
                if _HAN_RUN.fullmatch(folded):
                    self._zh.setdefault(folded, set()).add(concept.id)
                elif _HAN_RUN.search(folded):
                    # "a轮", "pre-ipo轮": matched on the text with spaces removed.
                    self._mixed.setdefault(folded, set()).add(concept.id)
        self._max_en = max((len(k) for k in self._en), default=0)
        self._max_zh = max((len(k) for k in self._zh), default=0)
        # Exclusive alternatives of each concept: same group, another unit. Concepts of the
        # same unit (HKEX Main Board, Chapter 18C) are one alternative.
        self.siblings: dict[str, frozenset[str]] = {}
        self.unit_members: dict[str, frozenset[str]] = {}
        groups: dict[str, set[str]] = {}
        units: dict[str, set[str]] = {}
        for concept in self.concepts.values():
            if concept.group and concept.exclusive:
                groups.setdefault(concept.group, set()).add(concept.id)
                units.setdefault(concept.unit, set()).add(concept.id)
        for members in groups.values():
            for member in members:
                unit = self.concepts[member].unit
                self.siblings[member] = frozenset(
                    m for m in members if self.concepts[m].unit != unit
                )
        for concept_id, concept in self.concepts.items():
            self.unit_members[concept_id] = frozenset(units.get(concept.unit, {concept_id}))

    def find(self, text: str, *, normalised: bool = False) -> dict[str, str]:
        """concept id -> the term that matched (longest), for a text; negated mentions too."""
        return {
            c: term
            for c, (term, _negated) in self.find_with_negation(text, normalised=normalised).items()
        }

    def find_with_negation(
        self, text: str, *, normalised: bool = False
    ) -> dict[str, tuple[str, bool]]:
        """concept id -> (matched term, whether every mention is negated).

        "a Hong Kong listing, not Nasdaq" and "不考虑纳斯达克" rule Nasdaq out: a matcher
        must not read them as asking for it.
        """
        text = text if normalised else normalise(text)
        found: dict[str, str] = {}
        affirmed: set[str] = set()
        for run in _HAN_RUN.findall(text):
            for start in range(len(run)):
                for end in range(min(len(run), start + self._max_zh), start + 1, -1):
                    ids = self._zh.get(run[start:end])
                    if ids:
                        negated = _negated_zh(run, start)
                        for concept_id in ids:
                            if len(run[start:end]) > len(found.get(concept_id, "")):
                                found[concept_id] = run[start:end]
                            if not negated:
                                affirmed.add(concept_id)
        if self._mixed:
            compact = re.sub(r"\s+", "", text)
            for term, ids in self._mixed.items():
                if term in compact:
                    for concept_id in ids:
                        found.setdefault(concept_id, term)
                        affirmed.add(concept_id)
        spans = _en_words(text)
        words = [stem for stem, _s, _e in spans]
        for start in range(len(words)):
            for length in range(min(self._max_en, len(words) - start), 0, -1):
                key = tuple(words[start : start + length])
                ids = self._en.get(key)
                if ids:
                    # The text as written ("anti-counterfeiting"), for reasons people read.
                    phrase = text[spans[start][1] : spans[start + length - 1][2]]
                    negated = _negated_en(words, start)
                    for concept_id in ids:
                        if len(phrase) > len(found.get(concept_id, "")):
                            found[concept_id] = phrase
                        if not negated:
                            affirmed.add(concept_id)
        return {c: (term, c not in affirmed) for c, term in found.items()}

    def conflicts(self, wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
        """Wanted concepts whose exclusive group the offer fills with other alternatives only.

        'trademark_registration' wanted, 'trademark_enforcement' offered: a conflict. An
        offer that also has registration, or any other alternative the need wants in that
        group, is none: a need for CE marking and ISO 13485 is not contradicted by an offer
        for CE marking.
        """
        wanted, offered = set(wanted), set(offered)
        wanted_units = {self.concepts[c].unit for c in wanted if c in self.concepts}
        result = set()
        for concept in wanted:
            rivals = self.siblings.get(concept, frozenset()) & offered
            if not rivals:
                continue
            group = self.concepts[concept].group
            offered_units = {
                self.concepts[c].unit
                for c in offered
                if c in self.concepts and self.concepts[c].group == group
            }
            if not offered_units & wanted_units:
                result.add(concept)
        return result

    def jieba_words(self) -> list[str]:
        """Chinese terms to teach the tokeniser, so that BM25 keeps them whole."""
        return [term for term in self._zh if 2 <= len(term) <= 8]


_EN_NEGATIONS = {
    "not",
    "no",
    "non",
    "without",
    "instead",
    "rather",
    "than",
    "excluding",
    "except",
    "avoid",
    "nor",
}
_ZH_NEGATIONS = (
    "不考虑",
    "不需要",
    "不做",
    "而非",
    "并非",
    "不是",
    "无需",
    "放弃",
    "排除",
    "不选",
    "不走",
    "不去",
    "非",
)


def _negated_en(words: list[str], start: int) -> bool:
    """A negation word within the three words before the term ("not a Nasdaq listing")."""
    return any(w in _EN_NEGATIONS for w in words[max(0, start - 3) : start])


def _negated_zh(run: str, start: int) -> bool:
    """A negation just before the term in the same run ("而非纳斯达克", "放弃科创板")."""
    before = run[max(0, start - 4) : start]
    return any(before.endswith(cue) or cue in before[-3:] for cue in _ZH_NEGATIONS)


def _concept_from_dict(raw: dict[str, Any]) -> Concept:
    return Concept(
        id=raw["id"],
        group=raw.get("group"),
        exclusive=bool(raw.get("exclusive")),
        en=tuple(raw.get("en") or ()),
        zh=tuple(raw.get("zh") or ()),
        alternative=raw.get("alternative"),
    )


# Groups whose concepts name a service, a form of capital or a way to market: for a need
# in a service category, these (not the product it describes) are what is being asked.
SERVICE_GROUPS = frozenset(
    {
        "capital_direction",
        "capital_markets",
        "listing_venue",
        "equity_investor",
        "funding_round",
        "debt_financing",
        "banking",
        "green_finance",
        "insurance",
        "legal_services",
        "intellectual_property",
        "trademark",
        "patent",
        "accounting",
        "corporate_services",
        "compliance",
        "data_protection",
        "logistics",
        "certification",
        "clinical_trial",
        "go_to_market",
        "sales_channel",
        "trade_flow",
        "trade_promotion",
        "sourcing",
        "talent",
        "technology_transfer",
        "government_support",
        "esg",
        "deal_structure",
    }
)


UMBRELLA_SERVICES = frozenset({"equity_financing", "due_diligence"})

# Forms of capital: a loan is not an equity round, whatever else two texts share.
CAPITAL_FORMS = {
    "debt": (
        frozenset({"debt_financing"}),
        frozenset(
            {
                "debt_financing",
                "green_loan",
                "sustainability_linked_loan",
                "green_bond",
                "transition_finance",
            }
        ),
    ),
    "equity": (
        frozenset({"funding_round", "equity_investor"}),
        frozenset({"equity_financing", "pre_ipo_round"}),
    ),
}


def capital_forms(concepts: Iterable[str], glossary: ConceptMatcher) -> set[str]:
    """Which forms of capital (debt, equity) a set of concepts speaks of."""
    forms = set()
    for concept_id in concepts:
        concept = glossary.concepts.get(concept_id)
        if concept is None:
            continue
        for form, (groups, ids) in CAPITAL_FORMS.items():
            if concept.group in groups or concept_id in ids:
                forms.add(form)
    return forms


def is_service(concept: Concept) -> bool:
    return (
        concept.group in SERVICE_GROUPS
        or concept.id in SERVICE_GROUPS
        or concept.id in UMBRELLA_SERVICES
    )


def load_glossary() -> ConceptMatcher:
    """The bundled glossary (engine/data/glossary.py)."""
    from superconnector.engine.data.glossary import CONCEPTS  # noqa: PLC0415 (6,000 lines of literals: the glossary loads on first use)

    return ConceptMatcher(CONCEPTS)
