"""Structure of the exchange format v1 (../shared/spec/exchange-format.md) as pydantic models.

These check shapes, types and single values. Everything that relates one row to another
(references, uniqueness, clashes) is checked later, on the whole event, in checks.py.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from superconnector.core.validators import KEY_HELP, KEY_RE
from superconnector.vocabulary import (
    CategoryCode,
    DirectionCode,
    EventKindCode,
    LanguageCode,
    OrganisationKindCode,
    RequestStatusCode,
    RoleCode,
)

FORMAT = "superconnector/v1"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{2}:\d{2}$")


def _check_key(value: str) -> str:
    if not KEY_RE.match(value):
        raise ValueError(f"{value!r} is not a valid key: keys are {KEY_HELP}")
    return value


def _check_date(value: str) -> str:
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form") from None
    return value


def _check_time(value: str) -> str:
    try:
        if not _TIME_RE.match(value):
            raise ValueError
        dt.time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a time in HH:MM form (00:00 to 23:59)") from None
    return value


def _check_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone such as Asia/Hong_Kong") from None
    return value


def _check_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(f"{value!r} is not a valid e-mail address") from None
    return value.lower()


def _check_url(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValueError(f"{value!r} is not a web address (http:// or https://)") from None
    return value


def _check_not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


Key = Annotated[str, AfterValidator(_check_key)]
Date = Annotated[str, AfterValidator(_check_date)]
Time = Annotated[str, AfterValidator(_check_time)]
Text = Annotated[str, AfterValidator(_check_not_blank)]
Email = Annotated[str, AfterValidator(_check_email)]
Url = Annotated[str, AfterValidator(_check_url)]
TimeZone = Annotated[str, AfterValidator(_check_timezone)]
Count = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=False)


class EventIn(Strict):
    slug: Key
    name: Text
    name_zh: str | None = None
    kind: EventKindCode | None = None
    timezone: TimeZone | None = None
    starts_on: Date
    ends_on: Date
    venue: str | None = None
    description: str | None = None


class OrganisationIn(Strict):
    key: Key
    name: Text
    name_zh: str | None = None
    kind: OrganisationKindCode
    region: str
    sectors: list[str]
    description: str
    language: LanguageCode | None = None
    website: Url | None = None


class ParticipantIn(Strict):
    key: Key
    organisation: Key
    name: Text
    name_zh: str | None = None
    title: str | None = None
    email: Email
    phone: str | None = None
    languages: list[str] | None = None
    role: RoleCode | None = None


class OpportunityIn(Strict):
    key: Key
    organisation: Key
    direction: DirectionCode
    category: CategoryCode
    title: Text
    description: str
    sectors: list[str] | None = None
    regions: list[str] | None = None
    language: LanguageCode | None = None


class MeetingSessionIn(Strict):
    key: Key
    date: Date
    start: Time
    end: Time
    slot_minutes: Positive
    gap_minutes: Count | None = None
    tables: Positive
    location: str | None = None


class UnavailableIn(Strict):
    date: Date
    start: Time
    end: Time


class AvailabilityIn(Strict):
    participant: Key
    sessions: list[Key] | None = None
    unavailable: list[UnavailableIn] | None = None


class MeetingRequestIn(Strict):
    key: Key
    from_: Key = Field(alias="from")
    to: Key
    status: RequestStatusCode
    priority: Annotated[StrictInt, Field(ge=1, le=3)] | None = None
    message: str | None = None


class MeetingIn(Strict):
    request: Key
    date: Date
    start: Time
    end: Time
    table: Text
    locked: StrictBool | None = None


class DocumentIn(Strict):
    format: Literal["superconnector/v1"]
    event: EventIn
    organisations: list[OrganisationIn] | None = None
    participants: list[ParticipantIn] | None = None
    opportunities: list[OpportunityIn] | None = None
    meeting_sessions: list[MeetingSessionIn] | None = None
    availability: list[AvailabilityIn] | None = None
    meeting_requests: list[MeetingRequestIn] | None = None
    meetings: list[MeetingIn] | None = None


LIST_NAMES = (
    "organisations",
    "participants",
    "opportunities",
    "meeting_sessions",
    "availability",
    "meeting_requests",
    "meetings",
)

ROW_MODELS: dict[str, type[BaseModel]] = {
    "organisations": OrganisationIn,
    "participants": ParticipantIn,
    "opportunities": OpportunityIn,
    "meeting_sessions": MeetingSessionIn,
    "availability": AvailabilityIn,
    "meeting_requests": MeetingRequestIn,
    "meetings": MeetingIn,
}
