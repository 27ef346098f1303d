"""Long pages on a phone (390×844) and a laptop: the directory's pager is in view at the top
without scrolling, and an organisation with 65 opportunities folds their long descriptions
to a few lines, each still a tap away in full.

Screenshots in test-artifacts/screenshots/: long-directory-*, long-organisation-*.
"""

import pytest

from tests.e2e.conftest import SCREENSHOTS, check_fits_the_window, save_screenshot, sign_in
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
OPPORTUNITIES = 65  # more than one page of 60 results


def description(n: int) -> str:
    """About 450 characters, like the long descriptions of real offers, with its own end."""
    return (
        "Cameras and deep learning find solder faults on the assembly line before the boards "
        "leave the factory; our engineers install the line in four weeks and train the "
        "operators on site. "
        * 2
        + f"Pilot lines run in Shenzhen and Dongguan; we look for partners in the Gulf. End {n:02d}."
    )


@pytest.fixture
def expo():
    expo = (
        Scenario.create("expo", name="Hong Kong Smart Manufacturing Expo")
        .organisation("law", name="Harbour Law")
        .organisation("vision", name="Vision Works Robotics")
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .account("amy", consents=True)
        .participant("ben", "vision", name="Ben Zhang")
    )
    for n in range(OPPORTUNITIES):
        expo.opportunity(
            f"ai-{n:02d}",
            "vision",
            "offer",
            "technology",
            f"AI inspection line {n:02d} for electronics assembly",
            description=description(n),
        )
    return expo


def in_window(page, selector: str) -> bool:
    """Whether the element is wholly inside the window as it is (not scrolled to)."""
    box = page.locator(selector).bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def save_window(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_the_pager_is_in_view_at_the_top_without_scrolling(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/events/expo/directory/?q=inspection")
    assert page.evaluate("window.scrollY") == 0
    top = "#directory-results .pager.pager-top"
    assert in_window(page, top), page.locator(top).bounding_box()
    assert "Page 1 of 2" in page.locator(top).inner_text()
    save_window(page, f"long-directory-{size}-window")
    tall = page.evaluate("document.documentElement.scrollHeight")
    assert tall > 3 * SIZES[size][1]  # a page of results is long: the top pager matters

    page.locator(f"{top} a[rel=next]").click()
    page.locator(top).get_by_text("Page 2 of 2").wait_for()
    page.wait_for_url("**page=2**")
    assert "AI inspection line" in page.locator("#directory-results").inner_text()

    # From the pager at the bottom, the next page is shown from its first result, not
    # from its end: back to page 1 from the bottom, and the top pager is in view.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator("#directory-results .pager.pager-bottom a[rel=prev]").click()
    page.locator(top).get_by_text("Page 1 of 2").wait_for()
    page.wait_for_function(
        "document.querySelector('#directory-results').getBoundingClientRect().top >= -1"
        " && document.querySelector('#directory-results').getBoundingClientRect().top"
        " < window.innerHeight"
    )
    check_fits_the_window(page)
    save_screenshot(page, f"long-directory-{size}")


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_organisation_page_folds_long_descriptions(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/events/expo/organisations/vision/")
    cards = page.locator("#opportunities article.card")
    assert cards.count() == OPPORTUNITIES
    folded = page_height(page)
    save_screenshot(page, f"long-organisation-{size}-folded")

    # The whole of a description is a tap away, and a tap folds it again.
    card = cards.filter(has_text="AI inspection line 07").first
    assert not card.get_by_text("End 07.").is_visible()
    card.locator("summary").click()
    assert card.get_by_text("End 07.").is_visible()
    assert card.locator(".show-less").is_visible() and not card.locator(".opening").is_visible()
    save_window(page, f"long-organisation-{size}-opened")
    card.locator("summary").click()
    assert not card.get_by_text("End 07.").is_visible()
    check_fits_the_window(page)

    # Every description unfolded is the page as it was: the folded one is far shorter.
    page.evaluate("document.querySelectorAll('details.more').forEach(d => d.open = true)")
    unfolded = page_height(page)
    save_screenshot(page, f"long-organisation-{size}-unfolded")
    assert folded < 0.6 * unfolded, (folded, unfolded)
    if size == "phone":
        # each opportunity takes about a third of the screen, not two thirds as it did
        # (36,000 px for these 65 before; 13,000 px now)
        assert folded / OPPORTUNITIES < 250, folded
