"""Request and response shapes. Responses read the caller's access (set on the request by
`event_access`) to leave out what the caller may not see, such as other delegates' contact
details."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel, field_validator
from pydantic_core import PydanticCustomError

from superconnector.core.validators import has_control_characters
from superconnector.directory.models import Category, Direction, Language, OrganisationKind, Role
from superconnector.meetings.models import RequestStatus


def _access(context: Any):
    return context["request"].api_access


def _storable(value: str) -> str:
    """Refuse NUL characters, as Django's forms do: PostgreSQL cannot store or even compare
    them (a query with one fails). Lone surrogates pydantic refuses itself."""
    if "\x00" in value:
        raise PydanticCustomError("null_character", "Null characters are not allowed")
    return value


# Every string the API takes from a caller (path, query or body) is Text.
Text = Annotated[str, AfterValidator(_storable)]


def _one_line(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError(
            "control_characters",
            "Must be on one line: line breaks and other control characters are not allowed",
        )
    return value


# Body fields that can reach a mail header (names, titles, subjects) are OneLine; only
# free text that goes into a mail's body (a message, a reason) may hold line breaks.
OneLine = Annotated[Text, AfterValidator(_one_line)]


# --- events ----------------------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    name: str
    name_zh: str
    kind: str
    timezone: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    description: str
    request_deadline: dt.datetime | None
    schedule_published_at: dt.datetime | None


class EventDetailOut(EventOut):
    role: Literal["organiser", "delegate"] = Field(description="what the caller is in the event")
    participant: str | None = Field(description="the caller's own participant key, if any")
    rights: list[str] = Field(
        description="the caller's organiser rights: view, edit, export, schedule, check_in, teams"
    )

    @staticmethod
    def resolve_role(obj, context) -> str:
        return _access(context).role

    @staticmethod
    def resolve_rights(obj, context) -> list[str]:
        return sorted(_access(context).rights)

    @staticmethod
    def resolve_participant(obj, context) -> str | None:
        participant = _access(context).participant
        return participant.key if participant else None


# --- directory -------------------------------------------------------------------------------


class OrganisationOut(Schema):
    key: str
    name: str
    name_zh: str
    kind: str
    region: str
    sectors: list[str]
    description: str
    language: str
    website: str
    review_status: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_name_zh(obj) -> str:
        return obj.organisation.name_zh

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.organisation.kind

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.organisation.region

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return list(obj.organisation.sectors)

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.organisation.description

    @staticmethod
    def resolve_language(obj) -> str:
        return obj.organisation.language

    @staticmethod
    def resolve_website(obj) -> str:
        return obj.organisation.website


class ParticipantRef(Schema):
    """A person as other records mention them."""

    key: str
    name: str
    organisation: str
    organisation_name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.event_organisation.key

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.event_organisation.organisation.name


class ParticipantOut(ParticipantRef):
    name_zh: str = Field(description="the name in Chinese characters, or empty")
    title: str
    languages: list[str]
    role: str
    email: str | None = Field(
        description=(
            "null unless the caller may see it: the person themselves; delegates with an "
            "accepted meeting with them (unless they withheld it); organisers, for one "
            "participant with the view right, and in the list of participants only with "
            "the export right"
        )
    )
    phone: str | None = Field(description="as e-mail")
    checked_in_at: dt.datetime | None = Field(description="organisers only")
    absent: bool | None = Field(description="organisers only")

    @staticmethod
    def resolve_name_zh(obj) -> str:
        return obj.person.name_zh

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.person.title

    @staticmethod
    def resolve_languages(obj) -> list[str]:
        return list(obj.person.languages)

    @staticmethod
    def resolve_email(obj, context) -> str | None:
        return obj.person.email if _access(context).may_see_contact(obj.pk) else None

    @staticmethod
    def resolve_phone(obj, context) -> str | None:
        return obj.person.phone if _access(context).may_see_contact(obj.pk) else None

    @staticmethod
    def resolve_checked_in_at(obj, context) -> dt.datetime | None:
        return obj.checked_in_at if _access(context).organiser else None

    @staticmethod
    def resolve_absent(obj, context) -> bool | None:
        return obj.absent if _access(context).organiser else None


class OpportunityOut(Schema):
    key: str
    organisation: str
    organisation_name: str
    direction: str
    category: str
    title: str
    description: str
    sectors: list[str]
    regions: list[str]
    language: str
    confidential: bool = Field(
        description="shown only to organisers, its organisation and delegates matched with it"
    )
    updated_at: dt.datetime

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.event_organisation.key

    @staticmethod
    def resolve_organisation_name(obj) -> str:
        return obj.event_organisation.organisation.name


class OrganisationFilters(Schema):
    kind: OrganisationKind | None = None
    region: Text | None = Field(
        None,
        max_length=100,
        description="exact, case-insensitive; a known place by any of its names (北京, Beijing)",
    )
    q: Text | None = Field(None, max_length=200, description="words in the name or description")


class ParticipantFilters(Schema):
    organisation: Text | None = Field(None, max_length=64, description="organisation key")
    role: Role | None = None
    q: Text | None = Field(None, max_length=200, description="words in the name or job title")


class OpportunityFilters(Schema):
    direction: Direction | None = None
    category: Category | None = None
    language: Language | None = None
    organisation: Text | None = Field(None, max_length=64, description="organisation key")
    q: Text | None = Field(None, max_length=200, description="words in the title or description")


# --- search ----------------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGE_SIZE = 100
# As LimitOffset's MAX_OFFSET: far beyond any event, and small enough for every database.
SEARCH_MAX_PAGE = 2**31 // SEARCH_MAX_PAGE_SIZE

_SEARCH_Q = (
    "words to find, in English or Chinese: Latin words match whole words or word starts "
    "(terms of one or two letters whole words only), Chinese terms whole or as their "
    "words, and either language finds the other through the glossary's concepts; results "
    "come best first. Empty: everything, alphabetically"
)


class SearchFilters(Schema):
    """What the portal's directory filters by; the filters that do not apply to people
    (category, direction) are not offered there."""

    q: Text | None = Field(None, max_length=200, description=_SEARCH_Q)
    kind: OrganisationKind | None = Field(None, description="the organisation's kind")
    region: Text | None = Field(
        None, max_length=100, description="the organisation's or opportunity's region"
    )
    sector: Text | None = Field(
        None, max_length=100, description="the organisation's or opportunity's sector"
    )
    language: Language | None = Field(
        None,
        description=(
            "opportunities: written in; organisations: their language; people: speak it "
            "(zh-Hans and zh-Hant both mean any Chinese)"
        ),
    )
    page: int = Field(1, ge=1, le=SEARCH_MAX_PAGE, description="which page, from 1")
    page_size: int = Field(
        SEARCH_PAGE_SIZE, ge=1, le=SEARCH_MAX_PAGE_SIZE, description="results per page"
    )


class OpportunitySearchFilters(SearchFilters):
    category: Category | None = None
    direction: Direction | None = None


class OrganisationSearchFilters(SearchFilters):
    category: Category | None = Field(None, description="has an opportunity of this category")
    direction: Direction | None = Field(None, description="has an opportunity of this direction")


class SearchPageOut(Schema):
    total: int = Field(description="results on all pages")
    page: int = Field(description="this page's number, from 1")
    page_size: int
    page_count: int = Field(description="how many pages there are (1 when nothing is found)")


class OpportunitySearchOut(SearchPageOut):
    items: list[OpportunityOut] = Field(description="best first")


class OrganisationSearchOut(SearchPageOut):
    items: list[OrganisationOut] = Field(description="best first")


class ParticipantSearchOut(SearchPageOut):
    items: list[ParticipantOut] = Field(description="best first")


# --- recommendations -------------------------------------------------------------------------


class OpportunityRecommendation(Schema):
    opportunity: str
    score: float
    reasons: list[str]


class OrganisationRecommendation(Schema):
    organisation: str
    score: float
    reasons: list[str]


class PersonRecommendation(Schema):
    participant: str = Field(description="the person to see")
    score: float
    reasons: list[str]
    organisation: str
    colleagues: list[str] = Field(description="their colleagues, named beside them")


class RecommendationsOut(Schema):
    """The exchange format's `recommend --json` shape, limited to what the caller may see."""

    needs: dict[str, list[OpportunityRecommendation]]
    offers: dict[str, list[OpportunityRecommendation]]
    organisations: dict[str, list[OrganisationRecommendation]]
    participants: dict[str, list[PersonRecommendation]] = Field(
        description="people to meet, as the portal shows them (at most five): a delegate gets"
        " their own list; organisers get none here (`recommend --json` prints every list)"
    )


# --- meeting requests ------------------------------------------------------------------------


class MeetingRequestOut(Schema):
    key: str
    sender: ParticipantRef
    recipient: ParticipantRef
    status: str
    priority: int
    message: str
    decline_reason: str
    created_at: dt.datetime
    responded_at: dt.datetime | None


class BodyIn(BaseModel):
    """A request body, which must be a JSON object.

    A plain pydantic model rather than Ninja's Schema: a Schema also reads the attributes
    of any other value, so that a list, a string or a number would pass for an object
    whose fields all have defaults.
    """


class MeetingRequestIn(BodyIn):
    recipient: OneLine = Field(min_length=1, max_length=64, description="participant key")
    message: Text = Field("", max_length=2000)
    priority: int = Field(2, ge=1, le=3, description="3 = most wanted")


class DeclineIn(BodyIn):
    reason: Text = Field("", max_length=2000)


class MeetingRequestFilters(Schema):
    status: RequestStatus | None = None
    direction: Literal["sent", "received"] | None = Field(
        None, description="relative to the caller's own participant"
    )
    participant: Text | None = Field(None, max_length=64, description="either side's key")


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- meetings and the schedule ---------------------------------------------------------------


class MeetingOut(Schema):
    request: str
    date: dt.date = Field(description="local date at the event")
    start: str = Field(description="local HH:MM")
    end: str = Field(description="local HH:MM")
    starts_at: dt.datetime
    ends_at: dt.datetime
    table: str
    session: str
    location: str
    locked: bool
    participants: list[ParticipantRef]

    @staticmethod
    def resolve_request(obj) -> str:
        return obj.request.key

    @staticmethod
    def resolve_date(obj) -> dt.date:
        return obj.slot.starts_at.astimezone(obj.event.tzinfo).date()

    @staticmethod
    def resolve_start(obj) -> str:
        return obj.slot.starts_at.astimezone(obj.event.tzinfo).strftime("%H:%M")

    @staticmethod
    def resolve_end(obj) -> str:
        return obj.slot.ends_at.astimezone(obj.event.tzinfo).strftime("%H:%M")

    @staticmethod
    def resolve_starts_at(obj) -> dt.datetime:
        return obj.slot.starts_at

    @staticmethod
    def resolve_ends_at(obj) -> dt.datetime:
        return obj.slot.ends_at

    @staticmethod
    def resolve_session(obj) -> str:
        return obj.slot.session.key

    @staticmethod
    def resolve_location(obj) -> str:
        return obj.slot.session.location

    @staticmethod
    def resolve_participants(obj) -> list:
        return [obj.request.sender, obj.request.recipient]


class MeetingFilters(Schema):
    participant: Text | None = Field(None, max_length=64, description="participant key")
    date: dt.date | None = Field(None, description="local date at the event, YYYY-MM-DD")

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # Pydantic would also read a number ("0", "1765152000") as a Unix time.
        if isinstance(value, str) and not ISO_DATE.fullmatch(value):
            raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD")
        return value


class ScheduledMeeting(Schema):
    request: str
    participants: list[str]
    date: str
    start: str
    end: str
    table: str


class Unscheduled(Schema):
    request: str
    reason: str


class ScheduleStats(Schema):
    requested: int
    scheduled: int
    upper_bound: int | None
    idle_gaps: int | None
    solver: str | None
    optimal: bool
    seconds: float | None


class ScheduleOut(Schema):
    """The exchange format's `schedule --json` shape, read from the stored schedule."""

    meetings: list[ScheduledMeeting]
    unscheduled: list[Unscheduled]
    stats: ScheduleStats
    published_at: dt.datetime | None
