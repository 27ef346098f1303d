"""Bulk sends in a browser: the organiser confirms the count, the mails go in the
background, and the page follows them (n of N) until the result, at desktop and phone
sizes. The suite's task backend runs a task as soon as it is queued (after the commit),
so the confirmed send is over when the page comes back; the polling is shown on a
mailing that the test moves on itself, as a worker would."""

import pytest

from superconnector.core.models import BulkMailing, OutgoingMail
from superconnector.events.domain.access import add_organiser
from tests.e2e.conftest import save_screenshot, sign_in
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def expo():
    expo = Scenario.create("expo").organisation("law", name="Harbour Law")
    for n, name in enumerate(["Amy Leung", "Chen Haoran", "Peter Ho"]):
        expo.participant(f"p{n}", "law", name=name, email=f"p{n}@example.com")
    expo.user("orga")
    add_organiser(expo.event, expo.users["orga"])
    return expo


@pytest.mark.parametrize("size", SIZES)
def test_invitations_are_confirmed_then_followed_to_their_result(page, expo, size):
    sign_in(page, "orga@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/orga/{expo.event.slug}/invitations/")
    page.click("text=Send invitations")
    page.wait_for_selector("text=3 invitations will be sent.")
    page.click("text=Send 3 invitations")
    page.wait_for_selector(".mailing-count")
    assert "3 of 3 mails sent." in page.inner_text("#mailing")
    assert OutgoingMail.objects.filter(kind="invitation").count() == 3
    save_screenshot(page, f"bulk-invitations-done-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_the_page_polls_a_running_mailing_until_it_is_done(page, expo, size):
    people = sorted(p.pk for p in expo.people.values())
    run = BulkMailing.objects.create(
        event=expo.event,
        kind="invitations",
        recipients=people,
        status="running",
        progress=1 / 3,
    )
    sign_in(page, "orga@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/orga/{expo.event.slug}/invitations/")
    assert "1 of 3 done…" in page.inner_text("#mailing")
    assert page.is_disabled("text=Send invitations")  # no second send while one runs
    save_screenshot(page, f"bulk-invitations-running-{size}")

    run.status, run.progress = "done", 1.0
    run.stats = {
        "total": 3,
        "sent": 2,
        "left_out": [],
        "failed": [{"participant": people[0], "reason": "SMTPException"}],
    }
    run.save()
    page.wait_for_selector("text=2 of 3 mails sent.")  # htmx swapped the card in
    assert "1 mail failed" in page.inner_text("#mailing")
    save_screenshot(page, f"bulk-invitations-failed-one-{size}")
