"""The exchange format's closed vocabularies, in one place and free of Django.

The schema, the engine and the synthetic generator read these; the models' TextChoices
add translated labels for the same codes (a test keeps the two in step).
"""

EVENT_KINDS = ("seminar", "roundtable", "fair", "expo", "delegation", "conference", "online")
ORGANISATION_KINDS = (
    "enterprise",
    "startup",
    "investor",
    "financial_institution",
    "research_institution",
    "university",
    "service_provider",
    "government",
    "chamber",
    "association",
)
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
ROLES = ("delegate", "speaker", "vip", "organiser", "press")
DIRECTIONS = ("offer", "need")
CATEGORIES = (
    "technology",
    "investment",
    "market_access",
    "professional_service",
    "partnership",
    "talent",
    "procurement",
)
REQUEST_STATUSES = ("pending", "accepted", "declined", "cancelled", "expired")
