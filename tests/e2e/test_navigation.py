"""Navigation that fits: every tab in view on a laptop and on a phone, and a skip link.

At 1366 px the portal's "Meetings" and "Agenda" tabs were cut off behind a long event name,
and on a phone no tab showed until one swiped the tab bar sideways. Here every link of the
header and of the tab bar must lie wholly inside the window, be the element found at its
own centre (nothing drawn over it), and the page must not scroll sideways; the first Tab
press must land on "Skip to content", which takes focus to the page's main content.
"""

import pytest

from superconnector.events.domain.access import add_organiser
from tests.e2e.conftest import check_skip_link, links_out_of_view, save_window, sign_in
from tests.scenario import Scenario

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


def check_navigation(page, url: str, tabs: list[str], name: str) -> None:
    page.goto(url)
    save_window(page, name)
    shown = [t.strip() for t in page.locator("nav.subnav a").all_inner_texts()]
    assert all(any(tab in s for s in shown) for tab in tabs), shown
    assert links_out_of_view(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


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
