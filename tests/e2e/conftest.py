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

from tests.scenario import PASSWORD

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


# --- what every page must do at every size: helpers the page tests share --------------------


def sign_in(page, email: str, size: tuple[int, int], language: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def links_out_of_view(page) -> list[str]:
    """The header and tab-bar controls not wholly inside the window or drawn over."""
    return page.evaluate(
        """() => {
        const out = [];
        const width = document.documentElement.clientWidth;
        for (const el of document.querySelectorAll(
                'header.top a, header.top button, header.top select, nav.subnav a')) {
            if (el.closest('noscript')) continue;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            const inside = box.width > 0 && box.height > 0 && box.left >= 0
                && box.right <= width + 0.5 && box.top >= 0;
            const x = box.left + Math.min(box.width / 2, 8), y = box.top + box.height / 2;
            const hit = inside ? document.elementFromPoint(x, y) : null;
            const seen = hit && (hit === el || el.contains(hit));
            if (!inside || !seen || style.visibility === 'hidden') {
                out.push((el.innerText || el.getAttribute('aria-label') || el.tagName).trim()
                         + ' @' + Math.round(box.left) + '..' + Math.round(box.right));
            }
        }
        return out;
    }"""
    )


def save_window(page, name: str) -> None:
    """Keep what the window shows (not the whole page): the navigation as one sees it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def check_skip_link(page, name: str) -> None:
    page.keyboard.press("Tab")
    save_window(page, name)
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    skip = page.locator("a.skip-link")
    box = skip.bounding_box()
    assert skip.is_visible() and box["y"] >= 0 and box["x"] >= 0
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("location.hash") == "#main"


def check_fits_the_window(page) -> None:
    """Nothing scrolls sideways, and every header and tab link is in view without a swipe
    (scrolled to the top first, where the navigation is)."""
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (
        page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    )
    assert links_out_of_view(page) == []
