from superconnector.matchmaking.models.cache import EmbeddingRecord
from superconnector.matchmaking.models.results import (
    Feedback,
    MatchingRun,
    MeetingSuggestion,
    OpportunityMatch,
    OrganisationMatch,
    Verdict,
)

__all__ = [
    "EmbeddingRecord",
    "Feedback",
    "MatchingRun",
    "MeetingSuggestion",
    "OpportunityMatch",
    "OrganisationMatch",
    "Verdict",
]
