"""The site in a real browser: pages render and the language switch changes language."""

import pytest

from superconnector.events.domain.access import add_organiser
from tests.e2e.conftest import save_screenshot
from tests.factories import answer_consents

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


def test_main_pages_render_for_an_organiser_and_a_delegate(page, small_event, django_user_model):
    from superconnector.directory.models import Participant

    organiser = django_user_model.objects.create_user(
        "olive@example.org", "a-long-password-for-tests", is_staff=True
    )
    add_organiser(small_event, organiser)
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", organiser.email)
    page.fill("input[name=password]", "a-long-password-for-tests")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    orga = f"{page.base_url}/orga/{small_event.slug}"
    for path, name, heading in [
        ("/import/", "backoffice-import", "Import"),
        ("/profiles/", "backoffice-profiles", "Profiles"),
        ("/checkin/", "backoffice-checkin", "Check-in"),
        ("/exports/", "backoffice-exports", "Export"),
    ]:
        page.goto(orga + path)
        assert heading.lower() in page.locator("h1").inner_text().lower(), path
        save_screenshot(page, name)
    # The camera button shows only where the browser can read QR codes itself.
    page.goto(orga + "/checkin/")
    can_scan = page.evaluate("'BarcodeDetector' in window")
    assert page.locator("[data-scan-badge]").is_visible() == can_scan
    page.goto(f"{page.base_url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui")
    save_screenshot(page, "api-docs")

    delegate = Participant.objects.select_related("person").filter(event=small_event).first()
    user = django_user_model.objects.create_user(
        delegate.person.email.lower(), "a-long-password-for-tests"
    )
    delegate.person.user = user
    delegate.person.save()
    answer_consents(delegate.person)
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", "a-long-password-for-tests")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{page.base_url}/events/{small_event.slug}/directory/?show=opportunities&q=香港上市")
    assert "香港上市" in page.locator("main").inner_text()
    save_screenshot(page, "portal-directory")
