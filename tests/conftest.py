"""Fixtures for the whole suite, and the rule that gives every test its tier.

Tiers (markers registered in pyproject.toml; `make test-fast` runs `-m unit`):

- browser: a test under tests/e2e/, or one that uses the Playwright `browser` fixture
  (directly or through `page`).
- integration: a test that touches the database or serves HTTP: it uses the `db` or
  `transactional_db` fixture (directly or through another fixture), the `django_db` mark,
  a test `client`, or the `live_server`; and any test marked `slow`. A module whose tests
  start processes or talk to real services without these fixtures (its own SQLite file,
  Redis, a subprocess running Django) says so with `pytestmark = pytest.mark.integration`.
- unit: everything else: pure Python, the engine's tests included, which never touch the
  database.

The tier is derived from what a test uses, so a new test gets one without anyone deciding;
a test may also carry a tier mark of its own, which is kept.
"""

import copy
import datetime as dt
import signal
from pathlib import Path

import pytest
from django.utils import translation

SMALL_DOCUMENT = {
    "format": "superconnector/v1",
    "event": {
        "slug": "bj-hk-2026",
        "name": "Beijing-Hong Kong Seminar",
        "name_zh": "京港研讨会",
        "kind": "seminar",
        "timezone": "Asia/Shanghai",
        "starts_on": "2026-12-08",
        "ends_on": "2026-12-08",
        "venue": "Beijing",
    },
    "organisations": [
        {
            "key": "harbour-law",
            "name": "Harbour Law LLP",
            "kind": "service_provider",
            "region": "Hong Kong",
            "sectors": ["Legal", "ip"],
            "description": "Cross-border listing and IP law.",
            "website": "https://harbour-law.example.com",
        },
        {
            "key": "zhiyuan",
            "name": "Zhiyuan AI",
            "name_zh": "智元人工智能",
            "kind": "enterprise",
            "region": "Beijing",
            "sectors": ["ai"],
            "description": "大模型企业服务。",
        },
        {
            "key": "kowloon-bank",
            "name": "Kowloon Commercial Bank",
            "kind": "financial_institution",
            "region": "Hong Kong",
            "sectors": ["finance"],
            "description": "跨境人民幣結算及貿易融資。",
        },
    ],
    "participants": [
        {
            "key": "p1",
            "organisation": "harbour-law",
            "name": "Amy Leung",
            "email": "Amy.Leung@example.com",
            "languages": ["en", "yue"],
        },
        {
            "key": "p2",
            "organisation": "zhiyuan",
            "name": "Zhang Wei",
            "title": "CEO",
            "email": "zhang.wei@example.com",
            "role": "speaker",
        },
        {
            "key": "p3",
            "organisation": "kowloon-bank",
            "name": "Peter Ho",
            "email": "peter.ho@example.com",
        },
        {"key": "p4", "organisation": "zhiyuan", "name": "Li Na", "email": "li.na@example.com"},
    ],
    "opportunities": [
        {
            "key": "o1",
            "organisation": "zhiyuan",
            "direction": "need",
            "category": "professional_service",
            "title": "寻求香港上市法律顾问",
            "description": "计划2027年在港交所主板上市。",
            "regions": ["Hong Kong"],
        },
        {
            "key": "o2",
            "organisation": "harbour-law",
            "direction": "offer",
            "category": "professional_service",
            "title": "HKEX listing counsel",
            "description": "Main Board and Chapter 18C listings.",
        },
        {
            "key": "o3",
            "organisation": "kowloon-bank",
            "direction": "offer",
            "category": "investment",
            "title": "跨境貿易融資",
            "description": "為內地企業提供香港貿易融資。",
        },
    ],
    "meeting_sessions": [
        {
            "key": "am",
            "date": "2026-12-08",
            "start": "09:00",
            "end": "12:00",
            "slot_minutes": 20,
            "gap_minutes": 5,
            "tables": 10,
        },
        {
            "key": "pm",
            "date": "2026-12-08",
            "start": "14:00",
            "end": "16:00",
            "slot_minutes": 20,
            "tables": 2,
        },
    ],
    "availability": [
        {
            "participant": "p2",
            "unavailable": [{"date": "2026-12-08", "start": "10:00", "end": "10:30"}],
        },
        {"participant": "p3", "sessions": ["pm"]},
    ],
    "meeting_requests": [
        {
            "key": "r1",
            "from": "p2",
            "to": "p1",
            "status": "accepted",
            "priority": 3,
            "message": "想了解18C",
        },
        {"key": "r2", "from": "p4", "to": "p3", "status": "pending"},
        {"key": "r3", "from": "p3", "to": "p1", "status": "accepted"},
    ],
    "meetings": [
        {
            "request": "r1",
            "date": "2026-12-08",
            "start": "09:25",
            "end": "09:45",
            "table": "T1",
            "locked": True,
        },
    ],
}


@pytest.fixture
def document() -> dict:
    """A fresh deep copy of a small, valid exchange document that uses every list."""
    return copy.deepcopy(SMALL_DOCUMENT)


# The suite's events run on fixed dates from 2026-12-01 (the synthetic generator's first
# day) and 2026-12-08 (the document above). Scheduling leaves out slots that have begun, so
# it plans as of before them, and its tests do not change once those dates have passed.
# Tests of forward-only planning pass their own `now`.
PLANNING_NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def planning_clock(monkeypatch):
    monkeypatch.setattr(
        "superconnector.meetings.domain.schedule.planning_now", lambda: PLANNING_NOW
    )


@pytest.fixture(autouse=True)
def signal_handlers_restored():
    """A test that runs the task worker in-process (`call_command("db_worker", ...)`) leaves
    its SIGINT/SIGTERM handlers installed; later tests in the same process, and processes
    they fork, must not inherit them."""
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        if handler is not None:
            signal.signal(getattr(signal, name), handler)


@pytest.fixture(autouse=True)
def active_language_restored():
    """A request through the test client leaves its language active in the thread
    (LocaleMiddleware activates it, nothing deactivates it): restored, so that a later test
    rendering text without a request of its own never depends on the order xdist chose."""
    saved = translation.get_language()
    yield
    if saved:
        translation.activate(saved)
    else:
        translation.deactivate()


# --- tiers ------------------------------------------------------------------------------------

TIERS = ("unit", "integration", "browser")
# `browser` is the Playwright session fixture (tests/e2e/conftest.py); its `page` needs it.
BROWSER_FIXTURES = {"browser"}
INTEGRATION_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "client",
    "admin_client",
    "async_client",
    "live_server",
    "django_user_model",
}
E2E_DIR = Path(__file__).parent / "e2e"


def tier_of(item: pytest.Item) -> str:
    """The tier a collected test belongs to, from where it is and what it uses."""
    fixtures = set(getattr(item, "fixturenames", ()))
    if E2E_DIR in Path(item.path).parents or fixtures & BROWSER_FIXTURES:
        return "browser"
    if any(item.get_closest_marker(mark) for mark in ("django_db", "slow")):
        return "integration"
    if fixtures & INTEGRATION_FIXTURES:
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not any(item.get_closest_marker(tier) for tier in TIERS):
            item.add_marker(getattr(pytest.mark, tier_of(item)))
