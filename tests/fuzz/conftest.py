"""A small but complete event for fuzzing the API, the callers who probe it, and a WSGI
entry point that keeps every request inside the test's database transaction.

Event A ("expo") has organisations in every review state, delegates, opportunities (one
confidential), stored recommendations, meeting requests in every state, a session with
slots, a placed meeting, a finished scheduling run and a published schedule. Event B
("other-expo") has its own delegate, whose token must never open anything of event A.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.signals import got_request_exception
from django.test import Client
from django.test.client import ClientHandler
from django.utils import timezone
from django.utils.crypto import get_random_string

from superconnector.events.models import Right
from tests.scenario import Scenario

EVENT = "expo"
OTHER_EVENT = "other-expo"

# Keys the fuzzer draws path parameters from (besides its own inventions). Event B's keys
# are among them, so that "someone else's key" is tried on event A's paths too.
ORGANISATIONS = ["law", "ai", "port", "bank", "new"]
PARTICIPANTS = ["amy", "amy2", "ben", "cai", "dan", "gus", "hana"]
OPPORTUNITIES = ["o-need", "o-offer", "o-bank", "o-tech", "o-secret"]
REQUESTS = ["r-met", "r-pending", "r-to-amy", "r-declined", "r-cancelled", "r-unplaced", "r-port"]
OTHER_KEYS = {"organisations": ["elsewhere"], "participants": ["eve", "fay"]}
OTHER_KEYS |= {"opportunities": ["o-else"], "meeting-requests": ["r-else"]}
KEYS = {
    "organisations": ORGANISATIONS,
    "participants": PARTICIPANTS,
    "opportunities": OPPORTUNITIES,
    "meeting-requests": REQUESTS,
}


@dataclass
class Caller:
    """What one role sends with every request."""

    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class FuzzWorld:
    event: object
    other: object
    callers: dict[str, Caller] = field(default_factory=dict)


def _session_caller(user) -> Caller:
    """A signed-in browser: its session cookie, and the CSRF cookie with its header."""
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)
    return Caller(
        headers={"X-CSRFToken": csrf},
        cookies={
            settings.SESSION_COOKIE_NAME: browser.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: csrf,
        },
    )


def _bearer(raw: str) -> Caller:
    return Caller(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def fuzz_world(db) -> FuzzWorld:
    expo = Scenario.create(EVENT, name="Beijing-Hong Kong Expo", venue="Wan Chai")
    other = Scenario.create(OTHER_EVENT)
    (
        expo.organisation("law", name="Harbour Law", kind="service_provider", sectors=["legal"])
        .organisation("ai", name="Zhiyuan AI", name_zh="智元", kind="startup", region="Beijing")
        .organisation("port", name="Pearl Logistics", region="Shenzhen", sectors=["logistics"])
        .organisation("bank", review_status="hidden")
        .organisation("new", review_status="pending")
    )
    other.organisation("elsewhere").organisation("faraway")
    (
        expo.participant("amy", "law", name="Amy Leung", phone="+852 1", languages=["en", "yue"])
        .participant("amy2", "law")
        .participant(
            "ben",
            "ai",
            role="speaker",
            name="Ben Zhang",
            title="CEO",
            phone="+86 2",
            checked_in_at=timezone.now(),
        )
        .participant("cai", "bank")
        .participant("dan", "new", profile_hidden=True)
        .participant("gus", "port")
        .participant("hana", "port", name="Hana Chan", languages=["yue", "en"])
    )
    other.participant("eve", "elsewhere").participant("fay", "faraway")

    (
        expo.opportunity("o-need", "ai", "need", "professional_service", "Counsel")
        .opportunity("o-offer", "law", "offer", "professional_service", "HKEX listing counsel")
        .opportunity("o-bank", "bank", "offer", "investment", "贸易融资", language="zh-Hans")
        .opportunity("o-tech", "ai", "offer", "technology", "大模型服务", language="zh-Hans")
        .opportunity("o-secret", "law", "need", "investment", "Pre-IPO round", confidential=True)
    )
    other.opportunity("o-else", "elsewhere", "need", "technology", "Elsewhere")
    for need, offer, score, rank in [("o-need", "o-offer", 0.9, 1), ("o-need", "o-bank", 0.5, 2)]:
        expo.opportunity_match(
            need,
            offer,
            score,
            rank,
            reasons_for_need=[{"code": "matched_terms", "values": {"terms": offer}}],
            reasons_for_offer=[{"code": "matched_terms", "values": {"terms": need}}],
        )
    for organisation, partner, rank in [("ai", "law", 1), ("ai", "bank", 2), ("law", "ai", 1)]:
        expo.organisation_match(
            organisation,
            partner,
            rank,
            reasons=[{"code": "shared_sectors", "values": {"sectors": "legal"}}],
        )

    (
        expo.request("r-met", "amy", "ben", "accepted", priority=3, message="About your listing")
        .request("r-pending", "amy2", "ben", "pending")
        .request("r-to-amy", "cai", "amy", "pending")
        .request("r-declined", "dan", "amy", "declined", decline_reason="Not this year")
        .request("r-cancelled", "ben", "amy2", "cancelled")
        .request("r-unplaced", "ben", "cai", "accepted")
        .request("r-port", "gus", "ben", "pending", message="Shipping your servers?")
    )
    other.request("r-else", "eve", "fay", "accepted")

    expo.session("am", location="Hall A").meeting("r-met", table="T1")
    expo.scheduling_run(
        status="done",
        progress=0.0,
        stats={
            "upper_bound": 2,
            "idle_gaps": 0,
            "solver": "cpsat",
            "optimal": True,
            "seconds": 0.4,
        },
    )
    event = expo.event
    event.schedule_published_at = timezone.now() - dt.timedelta(hours=1)
    event.request_deadline = timezone.now() + dt.timedelta(days=30)
    event.save()

    expo.organiser("orga", email="orga@example.com")
    expo.organiser("viewer", rights={Right.VIEW}, team="Analysts", email="viewer@example.com")
    expo.account("ben")

    callers = {
        "anonymous": Caller(),
        "organiser": _bearer(expo.token("orga", team="Organisers").tokens["orga"]),
        "view_team": _bearer(expo.token("view", team="Analysts").tokens["view"]),
        "delegate": _bearer(expo.token("amy", participant="amy").tokens["amy"]),
        "other_delegate": _bearer(other.token("eve", participant="eve").tokens["eve"]),
        "session_delegate": _session_caller(expo.users["ben"]),
    }
    return FuzzWorld(event=event, other=other.event, callers=callers)


class DjangoTestApp:
    """Django as a WSGI application, through the test client's handler.

    Unlike `get_wsgi_application()`, the test handler does not close the database
    connection at the end of each request (which would end the test's transaction), and it
    enforces CSRF like production. An exception in a view is re-raised here, with its own
    traceback, rather than only seen as a 500.
    """

    def __init__(self) -> None:
        self.handler = ClientHandler(enforce_csrf_checks=True)

    def __call__(self, environ, start_response):
        environ["HTTP_HOST"] = environ["SERVER_NAME"] = "testserver"
        raised: list = []

        def keep(sender, **kwargs):
            raised.append(sys.exc_info())

        got_request_exception.connect(keep)
        try:
            response = self.handler(environ)
        finally:
            got_request_exception.disconnect(keep)
        if raised and raised[0][1] is not None:
            raise raised[0][1].with_traceback(raised[0][2])
        headers = [*response.items()]
        headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


@pytest.fixture
def django_app() -> DjangoTestApp:
    return DjangoTestApp()
