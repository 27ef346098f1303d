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

from superconnector.api.domain.tokens import issue_token
from superconnector.core.models import User
from superconnector.directory.models import Opportunity
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Right
from superconnector.matchmaking.models import OpportunityMatch, OrganisationMatch
from superconnector.meetings.models import Meeting, MeetingSeat, SchedulingRun
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingRequestFactory,
    MeetingSessionFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
)

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


def _opportunity(link, key, direction, category, title, **extra):
    return Opportunity.objects.create(
        event=link.event,
        event_organisation=link,
        key=key,
        direction=direction,
        category=category,
        title=title,
        language=extra.pop("language", "en"),
        **extra,
    )


def _place(request, slot, table):
    meeting = Meeting.objects.create(event=request.event, request=request, slot=slot, table=table)
    for participant in (request.sender, request.recipient):
        MeetingSeat.objects.create(meeting=meeting, participant=participant, slot=slot)
    return meeting


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
    event = EventFactory(slug=EVENT, name="Beijing-Hong Kong Expo", venue="Wan Chai")
    other = EventFactory(slug=OTHER_EVENT)

    orgs = {
        "law": EventOrganisationFactory(
            event=event,
            key="law",
            organisation=OrganisationFactory(
                name="Harbour Law", kind="service_provider", sectors=["legal"]
            ),
        ),
        "ai": EventOrganisationFactory(
            event=event,
            key="ai",
            organisation=OrganisationFactory(
                name="Zhiyuan AI", name_zh="智元", kind="startup", region="Beijing"
            ),
        ),
        "port": EventOrganisationFactory(
            event=event,
            key="port",
            organisation=OrganisationFactory(
                name="Pearl Logistics", kind="enterprise", region="Shenzhen", sectors=["logistics"]
            ),
        ),
        "bank": EventOrganisationFactory(
            event=event, key="bank", review_status="hidden", organisation=OrganisationFactory()
        ),
        "new": EventOrganisationFactory(
            event=event, key="new", review_status="pending", organisation=OrganisationFactory()
        ),
        "elsewhere": EventOrganisationFactory(event=other, key="elsewhere"),
        "faraway": EventOrganisationFactory(event=other, key="faraway"),
    }
    people = {
        "amy": ParticipantFactory(
            event=event,
            key="amy",
            event_organisation=orgs["law"],
            person=PersonFactory(name="Amy Leung", phone="+852 1", languages=["en", "yue"]),
        ),
        "amy2": ParticipantFactory(event=event, key="amy2", event_organisation=orgs["law"]),
        "ben": ParticipantFactory(
            event=event,
            key="ben",
            role="speaker",
            event_organisation=orgs["ai"],
            person=PersonFactory(name="Ben Zhang", title="CEO", phone="+86 2"),
            checked_in_at=timezone.now(),
        ),
        "cai": ParticipantFactory(event=event, key="cai", event_organisation=orgs["bank"]),
        "dan": ParticipantFactory(
            event=event,
            key="dan",
            event_organisation=orgs["new"],
            person=PersonFactory(profile_hidden=True),
        ),
        "gus": ParticipantFactory(event=event, key="gus", event_organisation=orgs["port"]),
        "hana": ParticipantFactory(
            event=event,
            key="hana",
            event_organisation=orgs["port"],
            person=PersonFactory(name="Hana Chan", languages=["yue", "en"]),
        ),
        "eve": ParticipantFactory(event=other, key="eve", event_organisation=orgs["elsewhere"]),
        "fay": ParticipantFactory(event=other, key="fay", event_organisation=orgs["faraway"]),
    }

    opportunities = {
        "o-need": _opportunity(orgs["ai"], "o-need", "need", "professional_service", "Counsel"),
        "o-offer": _opportunity(
            orgs["law"], "o-offer", "offer", "professional_service", "HKEX listing counsel"
        ),
        "o-bank": _opportunity(
            orgs["bank"], "o-bank", "offer", "investment", "贸易融资", language="zh-Hans"
        ),
        "o-tech": _opportunity(
            orgs["ai"], "o-tech", "offer", "technology", "大模型服务", language="zh-Hans"
        ),
        "o-secret": _opportunity(
            orgs["law"], "o-secret", "need", "investment", "Pre-IPO round", confidential=True
        ),
    }
    _opportunity(orgs["elsewhere"], "o-else", "need", "technology", "Elsewhere")
    for need, offer, score, rank in [("o-need", "o-offer", 0.9, 1), ("o-need", "o-bank", 0.5, 2)]:
        OpportunityMatch.objects.create(
            event=event,
            need=opportunities[need],
            offer=opportunities[offer],
            score=score,
            rank_for_need=rank,
            rank_for_offer=1,
            reasons_for_need=[{"code": "matched_terms", "values": {"terms": offer}}],
            reasons_for_offer=[{"code": "matched_terms", "values": {"terms": need}}],
        )
    for organisation, partner, rank in [("ai", "law", 1), ("ai", "bank", 2), ("law", "ai", 1)]:
        OrganisationMatch.objects.create(
            event=event,
            organisation=orgs[organisation],
            partner=orgs[partner],
            score=1.0 / rank,
            rank=rank,
            reasons=[{"code": "shared_sectors", "values": {"sectors": "legal"}}],
        )

    p = people

    def request(key, sender, recipient, status, **extra):
        return MeetingRequestFactory(
            event=event,
            key=key,
            sender=p[sender],
            recipient=p[recipient],
            status=status,
            **extra,
        )

    met = request("r-met", "amy", "ben", "accepted", priority=3, message="About your listing")
    request("r-pending", "amy2", "ben", "pending")
    request("r-to-amy", "cai", "amy", "pending")
    request("r-declined", "dan", "amy", "declined", decline_reason="Not this year")
    request("r-cancelled", "ben", "amy2", "cancelled")
    request("r-unplaced", "ben", "cai", "accepted")
    request("r-port", "gus", "ben", "pending", message="Shipping your servers?")
    MeetingRequestFactory(event=other, key="r-else", sender=p["eve"], recipient=p["fay"])

    session = MeetingSessionFactory(event=event, key="am", location="Hall A")
    _place(met, session.slots.order_by("index").first(), "T1")
    SchedulingRun.objects.create(
        event=event,
        status="done",
        stats={
            "upper_bound": 2,
            "idle_gaps": 0,
            "solver": "cpsat",
            "optimal": True,
            "seconds": 0.4,
        },
    )
    event.schedule_published_at = timezone.now() - dt.timedelta(hours=1)
    event.request_deadline = timezone.now() + dt.timedelta(days=30)
    event.save()

    organiser = User.objects.create_user("orga@example.com", "pw")
    organisers = add_organiser(event, organiser)
    viewer = User.objects.create_user("viewer@example.com", "pw")
    viewers = add_organiser(event, viewer, rights={Right.VIEW}, team_name="Analysts")
    ben_user = User.objects.create_user(p["ben"].person.email, "pw")
    p["ben"].person.user = ben_user
    p["ben"].person.save()

    callers = {
        "anonymous": Caller(),
        "organiser": _bearer(issue_token("orga", event=event, team=organisers)[1]),
        "view_team": _bearer(issue_token("view", event=event, team=viewers)[1]),
        "delegate": _bearer(issue_token("amy", event=event, participant=p["amy"])[1]),
        "other_delegate": _bearer(issue_token("eve", event=other, participant=p["eve"])[1]),
        "session_delegate": _session_caller(ben_user),
    }
    return FuzzWorld(event=event, other=other, callers=callers)


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
