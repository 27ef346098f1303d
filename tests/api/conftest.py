"""An event with organisations of every review state, delegates, an organiser and tokens,
plus a second event whose data must never show through."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from superconnector.api.domain.tokens import issue_token
from superconnector.core.models import User
from superconnector.directory.models import Opportunity
from superconnector.events.domain.access import add_organiser
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    OrganisationFactory,
    ParticipantFactory,
    PersonFactory,
)


@dataclass
class World:
    event: object
    other: object
    organiser: object
    people: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


def opportunity(link, key, direction, category, title, language="en", description=""):
    return Opportunity.objects.create(
        event=link.event,
        event_organisation=link,
        key=key,
        direction=direction,
        category=category,
        title=title,
        description=description,
        language=language,
    )


@pytest.fixture
def world(db) -> World:
    event = EventFactory(slug="expo")
    other = EventFactory(slug="other-expo")
    organiser = User.objects.create_user("orga@example.com", "pw")
    team = add_organiser(event, organiser)
    orgs = {
        "law": EventOrganisationFactory(
            event=event, key="law", organisation=OrganisationFactory(name="Harbour Law")
        ),
        "ai": EventOrganisationFactory(
            event=event,
            key="ai",
            organisation=OrganisationFactory(name="Zhiyuan AI", kind="startup", region="Beijing"),
        ),
        "bank": EventOrganisationFactory(
            event=event, key="bank", review_status="hidden", organisation=OrganisationFactory()
        ),
        "new": EventOrganisationFactory(
            event=event, key="new", review_status="pending", organisation=OrganisationFactory()
        ),
        "elsewhere": EventOrganisationFactory(event=other, key="elsewhere"),
    }
    people = {
        "amy": ParticipantFactory(
            event=event,
            key="amy",
            event_organisation=orgs["law"],
            person=PersonFactory(name="Amy Leung", email="amy@example.com", phone="+852 1"),
        ),
        "amy2": ParticipantFactory(event=event, key="amy2", event_organisation=orgs["law"]),
        "ben": ParticipantFactory(
            event=event,
            key="ben",
            event_organisation=orgs["ai"],
            person=PersonFactory(name="Ben Zhang", email="ben@example.com", phone="+86 2"),
        ),
        "cai": ParticipantFactory(event=event, key="cai", event_organisation=orgs["bank"]),
        "dan": ParticipantFactory(event=event, key="dan", event_organisation=orgs["new"]),
        "eve": ParticipantFactory(event=other, key="eve", event_organisation=orgs["elsewhere"]),
    }
    opportunity(orgs["ai"], "o-need", "need", "professional_service", "Listing counsel wanted")
    opportunity(orgs["law"], "o-offer", "offer", "professional_service", "HKEX listing counsel")
    opportunity(orgs["bank"], "o-bank", "offer", "investment", "贸易融资", language="zh-Hans")
    opportunity(orgs["ai"], "o-tech", "offer", "technology", "大模型服务", language="zh-Hans")
    opportunity(orgs["elsewhere"], "o-else", "need", "technology", "Elsewhere")
    tokens = {
        "organiser": issue_token("orga", event=event, team=team, issued_by=organiser)[1],
        "amy": issue_token("amy", event=event, participant=people["amy"])[1],
        "ben": issue_token("ben", event=event, participant=people["ben"])[1],
        "dan": issue_token("dan", event=event, participant=people["dan"])[1],
        "eve": issue_token("eve", event=other, participant=people["eve"])[1],
    }
    return World(event, other, organiser, people, orgs, tokens)


class ApiClient:
    """A test client that sends one API token with every request."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, data=None):
        return self.client.post(
            f"/api/v1{path}",
            data if data is not None else {},
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture
def api(world):
    """api("amy") is a client with amy's token; api() has no credentials."""

    def make(who: str | None = None) -> ApiClient:
        return ApiClient(world.tokens[who] if who else None)

    return make
