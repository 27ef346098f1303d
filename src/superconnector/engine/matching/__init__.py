"""Recommendations: needs to offers, offers to needs, organisations to organisations.

    profiles = build_profiles(opportunities, organisations, glossary)      # text work
    embeddings = embed_profiles(profiles, encoder, cache)                  # model work
    result = recommend(profiles, embeddings, config, feedback)             # scoring

Similarity alone ranks look-alikes first: another firm's need on the same topic, a
Nasdaq adviser for a Hong Kong listing, a warehouse in the wrong city. So every candidate
pair is scored on a few readable features (dense and lexical similarity, shared glossary
concepts, exclusive alternatives, category and organisation-kind fit, region fit, sectors,
who is seeking and who is providing capital) whose weighted sum ranks the pairs, and the
same features produce the reasons shown to a delegate, as codes with values (reasons.py).

The modules, in the order of the work:
    inputs         the engine's inputs, settings and results (dataclasses)
    profiles       text work per opportunity: concepts, places, capital direction
    embeddings     needs and offers through the encoder (cached)
    fit            category and organisation-kind fit tables (data: engine/data/fit.json)
    scoring        pair features and their weighted sum
    candidates     which pairs are scored (all of them, or nearest neighbours)
    reasons        Reason(code, values), the templates and labels, rendering
    explain        the reasons of a pair or a partner
    organisations  partner organisations from the pairs
    run            recommend(): the whole run
"""

from superconnector.engine.matching.embeddings import Embeddings, embed_profiles
from superconnector.engine.matching.inputs import (
    Feedback,
    MatchingConfig,
    MatchResult,
    Opportunity,
    Organisation,
    Progress,
    Recommendation,
    Weights,
)
from superconnector.engine.matching.profiles import Profile, Profiles, build_profiles
from superconnector.engine.matching.reasons import REASONS, Reason, reason, render_reason
from superconnector.engine.matching.run import recommend

__all__ = [
    "REASONS",
    "Embeddings",
    "Feedback",
    "MatchResult",
    "MatchingConfig",
    "Opportunity",
    "Organisation",
    "Profile",
    "Profiles",
    "Progress",
    "Reason",
    "Recommendation",
    "Weights",
    "build_profiles",
    "embed_profiles",
    "reason",
    "recommend",
    "render_reason",
]
