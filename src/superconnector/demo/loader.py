"""The demo event: a Beijing-Hong Kong business seminar drawn from a real news release.

Public bodies keep their real names; every person and company is fictional and every
e-mail address is at example.org or example.com.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from superconnector.directory.domain.accounts import link_account
from superconnector.directory.models import Participant
from superconnector.exchange.importer import ImportReport, import_document

DATA_FILE = Path(__file__).parent / "data" / "demo-event.json"
DEMO_SLUG = "beijing-hk-new-productivity-2026"
ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "superconnector-organiser"
DELEGATE_PASSWORD = "superconnector-delegate"
# A Beijing AI company heading for a Chapter 18C listing in Hong Kong: its needs are answered
# by Hong Kong sponsors, law firms and investors elsewhere in the event.
DELEGATE_KEY = "p-b-mingjing-ai-1"


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str
    name: str


def read_demo_document() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def keep_upcoming(document: dict, today: dt.date) -> dict:
    """Move the demo's dates so that it starts tomorrow at the earliest.

    Scheduling plans forward only and pending requests expire once the event has passed, so
    a demo dated in the past would show an empty schedule. Every date moves by the same
    number of days; on the same day the result is the same, so loading twice changes nothing.
    """
    starts = dt.date.fromisoformat(document["event"]["starts_on"])
    shift = max(dt.timedelta(0), today + dt.timedelta(days=1) - starts)
    if not shift:
        return document

    def moved(value: str) -> str:
        return (dt.date.fromisoformat(value) + shift).isoformat()

    event = document["event"]
    event["starts_on"], event["ends_on"] = moved(event["starts_on"]), moved(event["ends_on"])
    for row in document.get("meeting_sessions") or []:
        row["date"] = moved(row["date"])
    for row in document.get("meetings") or []:
        row["date"] = moved(row["date"])
    for row in document.get("availability") or []:
        for block in row.get("unavailable") or []:
            block["date"] = moved(block["date"])
    return document


@transaction.atomic
def load_demo() -> tuple[ImportReport, list[DemoLogin]]:
    """Import (or refresh) the demo event and make sure its two logins exist."""
    document = keep_upcoming(read_demo_document(), timezone.localdate())
    report = import_document(document, source=str(DATA_FILE.name))
    return report, [_ensure_organiser(), _ensure_delegate()]


def _ensure_organiser() -> DemoLogin:
    user_model = get_user_model()
    user = user_model.objects.filter(email=ORGANISER_EMAIL).first()
    if user is None:
        user = user_model.objects.create_superuser(
            ORGANISER_EMAIL, ORGANISER_PASSWORD, name="Demo Organiser"
        )
    return DemoLogin("organiser", user.email, ORGANISER_PASSWORD, user.name)


def _ensure_delegate() -> DemoLogin:
    participant = (
        Participant.objects.filter(event__slug=DEMO_SLUG, key=DELEGATE_KEY)
        .select_related("person")
        .first()
        or Participant.objects.filter(
            event__slug=DEMO_SLUG, event_organisation__organisation__kind="enterprise"
        )
        .select_related("person")
        .order_by("key")
        .first()
    )
    if participant is None:
        raise LookupError(
            f"the demo event has no enterprise delegate to sign in as ({DELEGATE_KEY})"
        )
    person = participant.person
    account = person.user
    if account is None:
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=person.email).first()
        account = user or user_model.objects.create_user(
            person.email, DELEGATE_PASSWORD, name=person.name
        )
        link_account(person, account)  # the one way a person gets a login
    return DemoLogin("delegate", account.email, DELEGATE_PASSWORD, person.name)
