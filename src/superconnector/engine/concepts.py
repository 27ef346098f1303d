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


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _en_key(phrase: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _EN_WORD.findall(normalise(phrase)))


class ConceptMatcher:
    """Finds glossary concepts in text: English by word n-grams, Chinese by substrings."""

    def __init__(self, concepts: Iterable[dict | Concept]) -> None:
        self.concepts: dict[str, Concept] = {}
        self._en: dict[tuple[str, ...], set[str]] = {}
        self._zh: dict[str, set[str]] = {}
        for raw in concepts:
            concept = raw if isinstance(raw, Concept) else _concept_from_dict(raw)
            self.concepts[concept.id] = concept
            for term in concept.en:
                key = _en_key(term)
                if key:
                    self._en.setdefault(key, set()).add(concept.id)
            for term in concept.zh:
                folded = normalise(term).strip()
                if len(folded) >= 2:
                    self._zh.setdefault(folded, set()).add(concept.id)
        self._max_en = max((len(k) for k in self._en), default=0)
        self._max_zh = max((len(k) for k in self._zh), default=0)
        self.siblings: dict[str, frozenset[str]] = {}
        groups: dict[str, set[str]] = {}
        for concept in self.concepts.values():
            if concept.group and concept.exclusive:
                groups.setdefault(concept.group, set()).add(concept.id)
        for members in groups.values():
            for member in members:
                self.siblings[member] = frozenset(members - {member})

    def find(self, text: str, *, normalised: bool = False) -> dict[str, str]:
        """concept id -> the term that matched (longest), for a text."""
        text = text if normalised else normalise(text)
        found: dict[str, str] = {}
        for run in _HAN_RUN.findall(text):
            for start in range(len(run)):
                for end in range(min(len(run), start + self._max_zh), start + 1, -1):
                    ids = self._zh.get(run[start:end])
                    if ids:
                        for concept_id in ids:
                            if len(run[start:end]) > len(found.get(concept_id, "")):
                                found[concept_id] = run[start:end]
        spans = list(_EN_WORD.finditer(text))
        words = [_stem(m.group()) for m in spans]
        for start in range(len(words)):
            for length in range(min(self._max_en, len(words) - start), 0, -1):
                key = tuple(words[start : start + length])
                ids = self._en.get(key)
                if ids:
                    # The text as written ("anti-counterfeiting"), for reasons people read.
                    phrase = text[spans[start].start() : spans[start + length - 1].end()]
                    for concept_id in ids:
                        if len(phrase) > len(found.get(concept_id, "")):
                            found[concept_id] = phrase
        return found

    def conflicts(self, wanted: Iterable[str], offered: Iterable[str]) -> set[str]:
        """Wanted concepts that the offer replaces by an exclusive alternative.

        'trademark_registration' wanted, 'trademark_enforcement' offered and registration
        not offered: a conflict. An offer covering both is no conflict.
        """
        offered = set(offered)
        return {
            concept
            for concept in wanted
            if concept not in offered and self.siblings.get(concept, frozenset()) & offered
        }

    def jieba_words(self) -> list[str]:
        """Chinese terms to teach the tokeniser, so that BM25 keeps them whole."""
        return [term for term in self._zh if 2 <= len(term) <= 8]


def _concept_from_dict(raw: dict) -> Concept:
    return Concept(
        id=raw["id"],
        group=raw.get("group"),
        exclusive=bool(raw.get("exclusive")),
        en=tuple(raw.get("en") or ()),
        zh=tuple(raw.get("zh") or ()),
    )


def load_glossary() -> ConceptMatcher:
    """The bundled glossary (engine/data/glossary.py)."""
    from superconnector.engine.data.glossary import CONCEPTS

    return ConceptMatcher(CONCEPTS)
