"""The closed vocabularies, defined once, in one place and free of Django.

Each is written once as a `Literal` type, so that a type checker knows the codes, and
read as a tuple of codes by the code that lists them. The exchange schema, the engine,
the synthetic generator and the delegate-list aliases read these; the models'
TextChoices add translated labels for the same codes, in the same order (a test,
tests/core/test_vocabulary.py, fails if any of them differs from its vocabulary here).
"""

from typing import Literal, get_args

EventKindCode = Literal[
    "seminar", "roundtable", "fair", "expo", "delegation", "conference", "online"
]
OrganisationKindCode = Literal[
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
]
# The language (script) a text is written in, not the languages a person speaks.
LanguageCode = Literal["en", "zh-Hans", "zh-Hant"]
RoleCode = Literal["delegate", "speaker", "vip", "organiser", "press"]
DirectionCode = Literal["offer", "need"]
CategoryCode = Literal[
    "technology",
    "investment",
    "market_access",
    "professional_service",
    "partnership",
    "talent",
    "procurement",
]
RequestStatusCode = Literal["pending", "accepted", "declined", "cancelled", "expired"]
# The sectors the platform knows by name (directory/labels.py gives their labels and the
# names they are known by in both scripts). Open, unlike the others: the exchange format
# keeps an unknown sector code as it is given.
SectorCode = Literal[
    "accounting",
    "advanced_manufacturing",
    "ai",
    "aviation",
    "biotech",
    "cloud",
    "commercialisation",
    "consulting",
    "consumer",
    "culture_creative",
    "cybersecurity",
    "data_compliance",
    "education",
    "ev",
    "finance",
    "fintech",
    "food",
    "government",
    "green_finance",
    "healthcare",
    "insurance",
    "ip",
    "legal",
    "logistics",
    "low_altitude",
    "medtech",
    "new_energy",
    "new_materials",
    "pharma",
    "real_estate",
    "retail",
    "robotics",
    "semiconductors",
    "smart_city",
    "tax",
    "testing_certification",
    "tourism",
    "trade",
]

EVENT_KINDS: tuple[EventKindCode, ...] = get_args(EventKindCode)
ORGANISATION_KINDS: tuple[OrganisationKindCode, ...] = get_args(OrganisationKindCode)
LANGUAGES: tuple[LanguageCode, ...] = get_args(LanguageCode)
ROLES: tuple[RoleCode, ...] = get_args(RoleCode)
DIRECTIONS: tuple[DirectionCode, ...] = get_args(DirectionCode)
CATEGORIES: tuple[CategoryCode, ...] = get_args(CategoryCode)
REQUEST_STATUSES: tuple[RequestStatusCode, ...] = get_args(RequestStatusCode)
SECTORS: tuple[SectorCode, ...] = get_args(SectorCode)
