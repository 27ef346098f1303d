"""The engine's inputs (organisations, opportunities, feedback, settings) and its results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from superconnector.engine.matching.reasons import Reason

Progress = Callable[[str, float], None]


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


@dataclass(frozen=True)
class Link:
    """A need of one organisation and the other's offer that answers it, with the pair's
    probability: what a partner recommendation is made of, shown to the delegate."""

    need: str
    offer: str
    score: float


@dataclass
class Recommendation:
    target: str
    score: float
    reasons: list[Reason]
    # Partners only: the links that clear LINK_THRESHOLD, the best offer for each need,
    # those answering the list owner's needs first.
    links: tuple[Link, ...] = ()


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
