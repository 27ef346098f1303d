"""The site in a real browser: pages render and the language switch changes language."""

import pytest

from tests.e2e.conftest import save_screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_language_switch_turns_the_page_into_chinese_and_back(page, small_event):
    page.goto(f"{page.base_url}/events/{small_event.slug}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert small_event.name in page.locator("h1").inner_text()
    save_screenshot(page, "event-en")
    for code in ("zh-hans", "zh-hant", "en"):
        page.select_option("select[name=language]", code)
        page.wait_for_load_state("load")
        page.wait_for_function(f"document.documentElement.lang === '{code}'")
        assert page.locator("html").get_attribute("lang") == code
    save_screenshot(page, "event-after-switch")
