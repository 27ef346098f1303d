"""The exchange format's closed vocabularies, in one place and free of Django.

The schema, the engine and the synthetic generator read these; the models' TextChoices
add translated labels for the same codes (a test keeps the two in step). Each vocabulary
is a Literal type, so a type checker knows its codes, and a tuple of them for the code.
"""

from typing import Literal, get_args

EventKind = Literal["seminar", "roundtable", "fair", "expo", "delegation", "conference", "online"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
OrganisationKind = Literal[
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
ORGANISATION_KINDS: tuple[OrganisationKind, ...] = get_args(OrganisationKind)
LanguageCode = Literal["en", "zh-Hans", "zh-Hant"]
LANGUAGES: tuple[LanguageCode, ...] = get_args(LanguageCode)
Role = Literal["delegate", "speaker", "vip", "organiser", "press"]
ROLES: tuple[Role, ...] = get_args(Role)
Direction = Literal["offer", "need"]
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
Category = Literal[
    "technology",
    "investment",
    "market_access",
    "professional_service",
    "partnership",
    "talent",
    "procurement",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)
RequestStatus = Literal["pending", "accepted", "declined", "cancelled", "expired"]
REQUEST_STATUSES: tuple[RequestStatus, ...] = get_args(RequestStatus)
