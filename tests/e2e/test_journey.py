"""The whole loop in a real browser: two delegates and an organiser, in three languages.

A delegate signs in, writes an opportunity in Chinese, sees recommendations and requests
a meeting; the other delegate accepts; the organiser runs matching and scheduling in the
back office and publishes; the first delegate finds the meeting on their agenda; the
language switch turns the pages into Simplified and Traditional Chinese.
"""

import re

import pytest
from django.utils import translation

from superconnector.directory.models import Participant
from superconnector.events.domain.access import add_organiser
from superconnector.meetings.models import MeetingRequest, RequestStatus
from tests.e2e.conftest import save_screenshot
from tests.factories import answer_consents

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-for-tests"


@pytest.fixture
def people(small_event, django_user_model):
    """Accounts for every participant of the small event, and a staff organiser."""
    for participant in Participant.objects.select_related("person").filter(event=small_event):
        user = django_user_model.objects.create_user(
            participant.person.email.lower(), PASSWORD, name=participant.person.name
        )
        participant.person.user = user
        participant.person.save()
        if participant.key != "p2":  # p2 answers the registration consent step in the browser
            answer_consents(participant.person)
    organiser = django_user_model.objects.create_user(
        "organiser@example.org", PASSWORD, name="Olive Organiser", is_staff=True
    )
    add_organiser(small_event, organiser)
    # Li Na cancels her pending request to Kowloon Bank (r2): while it is open, her
    # colleague Zhang Wei's list leaves Kowloon Bank out (a colleague already meets them),
    # and he is already in touch with Harbour Law, so he would have nobody left to ask.
    MeetingRequest.objects.filter(event=small_event, key="r2").update(
        status=RequestStatus.CANCELLED
    )
    return small_event


def sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def email_of(event, key: str) -> str:
    return Participant.objects.get(event=event, key=key).person.email.lower()


def test_delegates_meet_and_find_it_on_their_agenda_in_three_languages(page, people):
    event = people
    base = f"{page.base_url}/events/{event.slug}"

    # The organiser computes recommendations first, from the back office.
    sign_in(page, "organiser@example.org")
    page.goto(f"{page.base_url}/orga/{event.slug}/runs/")
    page.click("text=Run matching")
    page.wait_for_selector("#matching-status .badge.ok")

    # Zhang Wei (p2) writes a need in Simplified Chinese.
    sign_in(page, email_of(event, "p2"))
    page.goto(f"{base}/profile/opportunities/new/")
    # First visit: the consent step of registration, four unticked boxes, comes first.
    assert "/accounts/my-data/welcome/" in page.url
    boxes = page.locator("main input[type=checkbox]")
    assert boxes.count() == 4 and not any(boxes.nth(i).is_checked() for i in range(4))
    save_screenshot(page, "portal-welcome")
    page.check("input[name=profile]")
    page.check("input[name=contact]")
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.endswith("/profile/opportunities/new/")
    page.check("input[name=direction][value=need]")
    page.select_option("select[name=category]", "investment")
    page.fill("input[name=title]", "寻求跨境并购法律顾问")
    page.fill(
        "textarea[name=description]",
        "我们计划收购一家香港金融科技公司，需要熟悉两地法规的律师事务所。",
    )
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    assert "寻求跨境并购法律顾问" in page.locator("main").inner_text()
    save_screenshot(page, "portal-profile")

    page.goto(f"{base}/recommendations/")
    save_screenshot(page, "portal-recommendations")
    cards = page.locator("article.recommendation:has(form[action$='recommendations/request/'])")
    assert cards.count() > 0, "no person recommended to p2"
    before = set(MeetingRequest.objects.filter(event=event).values_list("pk", flat=True))
    card = page.locator(f"#{cards.first.get_attribute('id')}")
    card.locator("button:has-text('Request a meeting')").click()
    notice = card.locator(".notice")  # swapped in by htmx once the request is answered
    notice.wait_for()
    assert "ok" in notice.get_attribute("class"), notice.inner_text()
    (request,) = MeetingRequest.objects.filter(event=event).exclude(pk__in=before)
    assert request.sender.key == "p2" and request.status == RequestStatus.PENDING

    # The other delegate accepts in their meetings inbox.
    sign_in(page, request.recipient.person.email.lower())
    page.goto(f"{base}/meetings/")
    save_screenshot(page, "portal-meetings")
    page.locator(f"form[action$='meetings/{request.pk}/accept/'] button").click()
    page.wait_for_load_state("load")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED

    # The organiser schedules and publishes.
    sign_in(page, "organiser@example.org")
    page.goto(f"{page.base_url}/orga/{event.slug}/runs/")
    page.click("text=Run scheduling")
    page.wait_for_selector("#scheduling-status .badge.ok")
    # The page's quality figures further down are those of the run just finished.
    card = page.locator("#scheduling-status .figures div").first.inner_text()
    assert page.locator("#schedule-quality .figures div").first.inner_text() == card
    assert "proven upper bound · optimal" in page.locator("#schedule-quality").inner_text()
    save_screenshot(page, "backoffice-runs")
    page.goto(f"{page.base_url}/orga/{event.slug}/publish/")
    page.click("main button[type=submit]")
    page.wait_for_selector("#confirm-send")  # the count first, then the send
    assert "agenda mail" in page.locator("#confirm-send .confirm-count").inner_text()
    save_screenshot(page, "backoffice-publish-confirm")
    page.click("#confirm-send button[type=submit]")
    page.wait_for_load_state("load")
    # Published and mailed in the background; the page follows it to the result.
    page.wait_for_selector("#mailing .badge.ok")
    assert "mails sent." in page.locator("#mailing .mailing-count").inner_text()
    save_screenshot(page, "backoffice-publish-mailed")
    event.refresh_from_db()
    assert event.schedule_published_at is not None
    page.goto(f"{page.base_url}/orga/{event.slug}/")
    save_screenshot(page, "backoffice-dashboard")

    # Zhang Wei finds the meeting on the agenda, with table and counterpart.
    sign_in(page, email_of(event, "p2"))
    page.goto(f"{base}/agenda/")
    agenda = page.locator("table.agenda").inner_text()
    assert request.recipient.person.name in agenda
    assert re.search(r"\bT\d+\b", agenda), agenda
    save_screenshot(page, "portal-agenda")

    # And the same page in Simplified, then Traditional Chinese.
    for code, name in (("zh-hans", "agenda-zh-hans"), ("zh-hant", "agenda-zh-hant")):
        with translation.override(code):
            heading = translation.gettext("My agenda")
        assert heading != "My agenda", f"no {code} translation of 'My agenda'"
        page.select_option("select[name=language]", code)
        page.wait_for_function(f"document.documentElement.lang === '{code}'")
        assert heading in page.locator("h1").inner_text()
        assert "12月8日" in page.locator("table.agenda").inner_text()  # dates as Chinese write them
        save_screenshot(page, name)
