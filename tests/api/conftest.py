"""An event with organisations of every review state, delegates, an organiser and tokens,
plus a second event whose data must never show through."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from tests.scenario import Scenario


@dataclass
class World:
    event: object
    other: object
    organiser: object
    people: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    expo = Scenario.create("expo")
    other = Scenario.create("other-expo")
    expo.organiser("orga", email="orga@example.com")
    (
        expo.organisation("law", name="Harbour Law")
        .organisation("ai", name="Zhiyuan AI", kind="startup", region="Beijing")
        .organisation("bank", review_status="hidden")
        .organisation("new", review_status="pending")
    )
    other.organisation("elsewhere")
    (
        expo.participant("amy", "law", name="Amy Leung", email="amy@example.com", phone="+852 1")
        .participant("amy2", "law")
        .participant("ben", "ai", name="Ben Zhang", email="ben@example.com", phone="+86 2")
        .participant("cai", "bank")
        .participant("dan", "new")
    )
    other.participant("eve", "elsewhere")
    (
        expo.opportunity("o-need", "ai", "need", "professional_service", "Listing counsel wanted")
        .opportunity("o-offer", "law", "offer", "professional_service", "HKEX listing counsel")
        .opportunity("o-bank", "bank", "offer", "investment", "贸易融资", language="zh-Hans")
        .opportunity("o-tech", "ai", "offer", "technology", "大模型服务", language="zh-Hans")
    )
    other.opportunity("o-else", "elsewhere", "need", "technology", "Elsewhere")
    expo.token("organiser", team="Organisers", issued_by="orga", name="orga")
    for who in ("amy", "ben", "dan"):
        expo.token(who, participant=who)
    other.token("eve", participant="eve")
    return World(
        expo.event,
        other.event,
        expo.users["orga"],
        people=expo.people | other.people,
        orgs=expo.orgs | other.orgs,
        tokens=expo.tokens | other.tokens,
    )


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
