"""Search and the organisation page in a real browser, at desktop and phone sizes."""

import pytest

from superconnector.directory.models import Opportunity, Participant
from tests.e2e.conftest import save_screenshot
from tests.factories import EventOrganisationFactory, answer_consents

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def sign_in_as_delegate(page, event, django_user_model) -> None:
    amy = Participant.objects.select_related("person").get(event=event, key="p1")
    user = django_user_model.objects.create_user(amy.person.email.lower(), "a-long-password-x")
    amy.person.user = user
    amy.person.save()
    answer_consents(amy.person)
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", "a-long-password-x")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_chinese_search_finds_english_ai_and_opens_the_organisation(
    page, small_event, django_user_model, size
):
    link = EventOrganisationFactory(event=small_event, key="vision-lab")
    link.organisation.name = "Vision Lab"
    link.organisation.description = "We build AI for factories. " * 15 + "Ends here."
    link.organisation.save()
    for n in range(65):  # more than one page
        Opportunity.objects.create(
            event=small_event,
            event_organisation=link,
            key=f"ai-{n}",
            direction="offer",
            category="technology",
            title=f"AI inspection line {n:02d}",
            language="en",
        )
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    sign_in_as_delegate(page, small_event, django_user_model)
    page.goto(f"{page.base_url}/events/{small_event.slug}/directory/?q=人工智能")
    results = page.locator("#directory-results")
    assert "AI inspection line" in results.inner_text()  # English texts for a Chinese query
    assert "Page 1 of 2" in results.inner_text()
    save_screenshot(page, f"search-cross-language-{size}")
    page.locator("#directory-results a[rel=next]").first.click()
    page.locator("#directory-results").get_by_text("Page 2 of 2").first.wait_for()
    save_screenshot(page, f"search-page-2-{size}")
    page.locator("#directory-results a", has_text="Vision Lab").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Vision Lab"
    assert "Ends here." in page.locator("main").inner_text()  # the whole description
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0] + 1  # nothing runs off the side of the screen
    save_screenshot(page, f"organisation-page-{size}")
