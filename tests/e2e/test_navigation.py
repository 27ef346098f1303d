"""Navigation that fits: every tab in view on a laptop and on a phone, and a skip link.

At 1366 px the portal's "Meetings" and "Agenda" tabs were cut off behind a long event name,
and on a phone no tab showed until one swiped the tab bar sideways. Here every link of the
header and of the tab bar must lie wholly inside the window, be the element found at its
own centre (nothing drawn over it), and the page must not scroll sideways; the first Tab
press must land on "Skip to content", which takes focus to the page's main content.
"""

import pytest

from superconnector.events.domain.access import add_organiser
from tests.e2e.conftest import SCREENSHOTS
from tests.scenario import PASSWORD, Scenario

pytestmark = pytest.mark.django_db(transaction=True)

# The demo event's real name: long names are what pushed the tabs out.
LONG_NAME = "Developing New Productivity – Unlimited Opportunities for Hong Kong-funded Enterprises"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def expo():
    expo = (
        Scenario.create("expo", name=LONG_NAME)
        .organisation("law", name="Harbour Law")
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .account("amy", consents=True)
        .user("orga", is_staff=True)
    )
    # Long names in the header, beside the sign-out button and the language menu.
    expo.users["amy"].name = "Amy Leung-Fitzgerald Wong"
    expo.users["orga"].name = "Olivia Organiser-Featherstonehaugh"
    for user in expo.users.values():
        user.save()
    add_organiser(expo.event, expo.users["orga"])
    return expo


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


def check_navigation(page, url: str, tabs: list[str], name: str) -> None:
    page.goto(url)
    save_window(page, name)
    shown = [t.strip() for t in page.locator("nav.subnav a").all_inner_texts()]
    assert all(any(tab in s for s in shown) for tab in tabs), shown
    assert links_out_of_view(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


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


@pytest.mark.parametrize("size", list(SIZES))
def test_delegate_tabs_are_all_in_view_and_the_skip_link_leads_to_the_content(page, expo, size):
    sign_in(page, "amy@example.com", SIZES[size], "en")
    base = f"{page.base_url}/events/{expo.event.slug}"
    tabs = ["My profile", "Directory", "Recommendations", "Meetings", "Agenda"]
    check_navigation(page, f"{base}/meetings/", tabs, f"nav-portal-{size}-en")
    check_skip_link(page, f"nav-portal-{size}-skip")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    check_navigation(page, f"{base}/agenda/", ["我的资料", "会谈", "日程"], f"nav-portal-{size}-zh")


@pytest.mark.parametrize("size", list(SIZES))
def test_back_office_tabs_are_all_in_view(page, expo, size):
    sign_in(page, "orga@example.com", SIZES[size], "en")
    tabs = ["Dashboard", "Sessions", "Import", "Profiles", "Publish", "Check-in", "Audit log"]
    check_navigation(page, f"{page.base_url}/orga/{expo.event.slug}/", tabs, f"nav-orga-{size}")
    check_skip_link(page, f"nav-orga-{size}-skip")
