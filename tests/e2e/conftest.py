"""Browser tests: Playwright (Python) driving Debian's chromium against a live server.

Skipped when chromium is missing, unless SUPERCONNECTOR_REQUIRE_BROWSER=1 (as in CI,
whose .ci/run installs it). Screenshots of the pages visited are kept under
test-artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make there to set up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("SUPERCONNECTOR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM} and SUPERCONNECTOR_REQUIRE_BROWSER=1")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def save_screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact; returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def small_event(document):
    """The suite's small exchange document, imported: a real event to browse."""
    from superconnector.events.models import Event
    from superconnector.exchange.importer import import_document

    import_document(document)
    return Event.objects.get(slug=document["event"]["slug"])
