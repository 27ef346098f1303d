"""The delegate's availability page, the organisation page (from every search card and from
vetting) and the search page in Chinese, in a real browser at laptop and phone sizes.

Each page is checked for what a person sees: its text, nothing running off the side of the
screen (the page never scrolls sideways), every tab in view without a swipe, and the skip
link as the first thing the Tab key reaches. Screenshots are kept in
test-artifacts/screenshots/ (availability-*, organisation-*, vetting-*, search-zh-*).
"""

import datetime as dt

import pytest

from superconnector.events.domain.access import add_organiser
from superconnector.meetings.domain.availability import availability_of
from tests.e2e.conftest import (
    check_fits_the_window,
    check_skip_link,
    save_screenshot,
    sign_in,
)
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
LONG_NAME = "Developing New Productivity – Unlimited Opportunities for Hong Kong-funded Enterprises"
DAY_1, DAY_2 = dt.date(2026, 12, 8), dt.date(2026, 12, 9)
DESCRIPTION = (
    "Vision Works builds machine-vision inspection lines for electronics and car-parts "
    "factories across the Greater Bay Area. "
    * 6
    + "We look for distributors in the Gulf and a sponsor for a Hong Kong listing. Ends here."
)


@pytest.fixture
def expo():
    expo = (
        Scenario.create("expo", name=LONG_NAME)
        .organisation("law", name="Harbour Law")
        .organisation(
            "vision",
            name="Vision Works Robotics (Shenzhen) Company Limited",
            name_zh="视觉工场机器人（深圳）有限公司",
            description=DESCRIPTION,
            region="Shenzhen",
            sectors=["ai", "advanced_manufacturing"],
            website="https://www.visionworks-robotics.example.com/en/about-us",
        )
        .organisation(
            "lotus",
            review_status="pending",
            name="Lotus Capital Partners",
            description="Growth capital for Greater Bay Area makers. " * 8 + "Ends here.",
        )
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .account("amy", consents=True)
        .participant("ben", "vision", name="Ben Zhang", name_zh="张本", title="Chief Executive")
        .participant("cai", "vision", name="Cai Wen", title="Head of Sales, Middle East")
        .participant("lin", "lotus", name="Lin Mei", title="Partner")
        .opportunity("lotus-offer", "lotus", "offer", "investment", "Pre-IPO growth capital")
        .session("am1", date=DAY_1, start=dt.time(9), end=dt.time(12), location="Hall 3C, HKCEC")
        .session("pm1", date=DAY_1, start=dt.time(14), end=dt.time(17), location="Hall 3C, HKCEC")
        .session("am2", date=DAY_2, start=dt.time(9), end=dt.time(12), location="Hall 5E, HKCEC")
        .user("orga")
    )
    for n in range(65):  # more than one page of 60
        expo.opportunity(
            f"ai-{n:02d}",
            "vision",
            "offer",
            "technology",
            f"AI inspection line {n:02d} for electronics assembly",
            description="Cameras and deep learning find solder faults on the line.",
        )
    add_organiser(expo.event, expo.users["orga"])
    # Met before: the two firms had an accepted meeting at an earlier fair.
    spring = (
        Scenario.create("spring", name="Spring Fair 2026")
        .organisation("law", organisation=expo.orgs["law"].organisation)
        .organisation("vision", organisation=expo.orgs["vision"].organisation)
        .participant("amy", "law", person=expo.people["amy"].person)
        .participant("ben", "vision", person=expo.people["ben"].person)
        .request("met", "amy", "ben", status="accepted")
    )
    assert spring.requests
    return expo


def open_page(page, url: str, size: str, name: str) -> None:
    """Open a page, check the skip link and that it fits, keep its screenshot."""
    page.goto(url)
    check_skip_link(page, f"{name}-skip")
    check_fits_the_window(page)
    save_screenshot(page, name)


# --- availability ----------------------------------------------------------------------------


def check_boxes_beside_their_text(page) -> None:
    """Each session's box sits on the first line of its text, to its left: the boxes were
    drawn centred above their labels, far from the text on a laptop."""
    placements = page.evaluate(
        """() => [...document.querySelectorAll('input[name=sessions]')].map(input => {
            const label = input.closest('label');
            const range = document.createRange();
            range.setStartAfter(input);
            range.setEndAfter(label.lastChild);
            const line = [...range.getClientRects()].find(r => r.width > 1);
            const box = input.getBoundingClientRect();
            return {text: label.innerText.trim(), left_of_text: box.right <= line.left,
                    on_its_line: box.top < line.bottom && line.top < box.bottom};
        })"""
    )
    assert len(placements) == 3
    for place in placements:
        assert place["left_of_text"] and place["on_its_line"], place


@pytest.mark.parametrize("size", list(SIZES))
def test_delegate_chooses_sessions_blocks_a_time_and_removes_it(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "en")
    url = f"{page.base_url}/events/expo/agenda/availability/"
    open_page(page, url, size, f"availability-{size}-start")
    main = page.locator("main")
    assert page.locator("h1").inner_text() == "My availability"
    assert "Times are Hong Kong time (UTC+8)" in main.inner_text()
    assert "8 Dec 2026 14:00–17:00 · Hall 3C, HKCEC" in main.inner_text()
    boxes = page.locator("input[name=sessions]")
    assert boxes.count() == 3 and all(boxes.nth(i).is_checked() for i in range(3))
    assert "Remove blocked times" not in main.inner_text()  # nothing blocked yet
    check_boxes_beside_their_text(page)

    # Skip the afternoon, block an hour on the first morning.
    page.get_by_label("8 Dec 2026 14:00–17:00 · Hall 3C, HKCEC").uncheck()
    page.select_option("select[name=day]", label="8 Dec 2026")
    page.fill("input[name=block_from]", "10:00")
    page.fill("input[name=block_to]", "11:00")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "Your availability is saved." in page.locator("body").inner_text()
    assert "Remove blocked times" in main.inner_text()
    assert page.get_by_label("8 Dec 2026 10:00–11:00").is_visible()
    assert not page.get_by_label("8 Dec 2026 14:00–17:00 · Hall 3C, HKCEC").is_checked()
    check_fits_the_window(page)
    check_boxes_beside_their_text(page)
    save_screenshot(page, f"availability-{size}-saved")
    amy = expo.people["amy"]
    amy.refresh_from_db()
    state = availability_of(amy)
    assert state.session_ids == {expo.sessions["am1"].pk, expo.sessions["am2"].pk}
    assert len(state.blocks) == 1

    # A block that ends before it starts is refused, with the reason beside the form.
    page.select_option("select[name=day]", label="9 Dec 2026")
    page.fill("input[name=block_from]", "13:00")
    page.fill("input[name=block_to]", "12:00")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "A blocked time must end after it starts." in main.inner_text()
    check_fits_the_window(page)
    save_screenshot(page, f"availability-{size}-refused")
    assert len(availability_of(amy).blocks) == 1

    # Remove the blocked hour (the refused one was never saved, so clear its fields).
    page.goto(url)
    page.get_by_label("8 Dec 2026 10:00–11:00").check()
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "Your availability is saved." in page.locator("body").inner_text()
    assert "Remove blocked times" not in main.inner_text()
    assert availability_of(amy).blocks == ()
    save_screenshot(page, f"availability-{size}-removed")

    # The same page in Chinese: longer labels, the same fit.
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.locator("h1").inner_text() == "我的可用时间"
    assert "我参加的场次" in main.inner_text()
    check_fits_the_window(page)
    check_boxes_beside_their_text(page)
    save_screenshot(page, f"availability-{size}-zh")


# --- the organisation page -------------------------------------------------------------------


def check_organisation_page(page) -> None:
    main = page.locator("main")
    assert page.locator("h1").inner_text() == "Vision Works Robotics (Shenzhen) Company Limited"
    text = main.inner_text()
    assert "Ends here." in text  # the whole description, not cut at "…"
    assert "视觉工场机器人（深圳）有限公司" in text
    assert "Ben Zhang" in text and "Head of Sales, Middle East" in text
    assert "AI inspection line 64 for electronics assembly" in text
    assert "1 accepted meeting with your organisation at Spring Fair 2026" in text


@pytest.mark.parametrize("size", list(SIZES))
def test_every_search_card_leads_to_the_organisation_page(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "en")
    directory = f"{page.base_url}/events/expo/directory/"
    for show, query in (("opportunities", "solder"), ("organisations", "vision"), ("people", "")):
        page.goto(f"{directory}?show={show}&q={query}")
        results = page.locator("#directory-results")
        cards = results.locator("article.card, tbody tr")
        assert cards.count() > 0, show
        for n in range(cards.count()):  # every card names its organisation with a link
            links = cards.nth(n).locator("a[href*='/events/expo/organisations/']")
            assert links.count() >= 1, (show, cards.nth(n).inner_text())
        check_fits_the_window(page)
        save_screenshot(page, f"organisation-from-{show}-{size}-results")
        card = cards.filter(has_text="Vision Works").first
        card.locator("a[href*='/organisations/vision/']").first.click()
        page.wait_for_url("**/events/expo/organisations/vision/")
        check_organisation_page(page)
    open_page(page, page.url, size, f"organisation-page-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_vetting_opens_a_profile_before_it_is_published(page, expo, size):
    sign_in(page, "orga@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/orga/expo/profiles/")
    check_fits_the_window(page)
    # On a phone the table's rows stack and lose their header: each number keeps its label.
    assert page.locator("tbody td.num").count() == 6
    assert page.locator("tbody td.num:not([data-label])").count() == 0
    save_screenshot(page, f"vetting-{size}-list")
    page.locator("main a", has_text="Lotus Capital Partners").click()
    page.wait_for_url("**/orga/expo/profiles/lotus/")
    text = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Lotus Capital Partners"
    assert "Awaiting review" in text or "awaiting review" in text.lower()
    assert "Ends here." in text and "Lin Mei" in text and "Pre-IPO growth capital" in text
    open_page(page, page.url, size, f"vetting-{size}-profile")


# --- search in Chinese -----------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_chinese_interface_search_finds_english_opportunities_page_by_page(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "zh-hans")
    open_page(
        page, f"{page.base_url}/events/expo/directory/?q=人工智能", size, f"search-zh-{size}-page-1"
    )
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.locator("a.skip-link").inner_text() == "跳到正文"
    results = page.locator("#directory-results")
    text = results.inner_text()
    assert "AI inspection line 00 for electronics assembly" in text  # English, for 人工智能
    assert "65" in text and "第 1 页，共 2 页" in text
    assert "Pre-IPO growth capital" not in text  # awaiting review: not listed
    results.locator("a[rel=next]").first.click()  # the pager above the results
    results.get_by_text("第 2 页，共 2 页").first.wait_for()
    page.wait_for_url("**page=2**")
    second = page.locator("#directory-results").inner_text()
    assert "AI inspection line" in second and "上一页" in second
    check_fits_the_window(page)
    save_screenshot(page, f"search-zh-{size}-page-2")
