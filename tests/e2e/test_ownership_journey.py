"""Issue 12 in a real browser: the organiser of another event imports a list that names an
existing firm and delegate, and the delegate decides what changes.

The rival organiser (of event Y only) uploads a Big5 list with Chinese headers naming
Harbour Law LLP and Amy Leung of bj-hk-2026 with another job title, another firm type and
blank cells. The preview lists each change with the event that also shows the record;
confirming changes nothing of hers. A second list that re-points her participant key at
the rival's own address is refused, naming both addresses. Amy then finds the proposal on
her profile, in Simplified Chinese and on a phone-sized screen, and accepts it.
"""

import pytest

from superconnector.directory.models import Participant, ProposedChange
from superconnector.events.domain.access import add_organiser
from tests.e2e.conftest import save_screenshot
from tests.factories import EventFactory, answer_consents

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-for-tests"
PHONE = {"width": 390, "height": 844}
LIST = (
    "姓名,職位,機構,電郵,電話,機構類型,地區\n"
    "Amy Leung,Office Manager,Harbour Law LLP,amy.leung@example.com,,企業,\n"
)


def sign_in(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def upload(page, event, name: str, content: bytes) -> None:
    page.goto(f"{page.base_url}/orga/{event.slug}/import/")
    page.set_input_files(
        "input[type=file]", {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


@pytest.fixture
def amy(small_event, django_user_model):
    participant = Participant.objects.select_related("person").get(event=small_event, key="p1")
    person = participant.person
    person.user = django_user_model.objects.create_user(
        person.email.lower(), PASSWORD, name=person.name
    )
    person.title = "Partner"  # a title of her own: the rival's list must not replace it
    person.save()
    answer_consents(person)
    return participant


@pytest.fixture
def rival_event(django_user_model):
    event = EventFactory(slug="sz-expo-2027", name="Shenzhen Expo 2027")
    rival = django_user_model.objects.create_user("rival@example.net", PASSWORD, name="Rival")
    add_organiser(event, rival)
    return event


def test_another_events_list_proposes_and_the_delegate_decides(page, amy, rival_event):
    title_before = amy.person.title
    kind_before = amy.organisation.kind

    sign_in(page, "rival@example.net")
    upload(page, rival_event, "delegates.csv", LIST.encode("big5"))
    page.wait_for_selector("text=Changes to organisations and people other events also show")
    text = page.locator("main").inner_text()
    assert "bj-hk-2026" in text and "propose to the owner" in text
    # Fields and kinds as the interface names them, not their keys.
    assert "job title" in text and "service_provider" not in text
    save_screenshot(page, "backoffice-import-shared-changes")
    page.set_viewport_size(PHONE)
    save_screenshot(page, "backoffice-import-shared-changes-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("text=Confirm and import")
    page.wait_for_load_state("load")
    amy.person.refresh_from_db()
    amy.organisation.refresh_from_db()
    assert (amy.person.title, amy.organisation.kind) == (title_before, kind_before)
    assert ProposedChange.objects.filter(status="pending").count() >= 1

    # Re-pointing her record at an address of the rival's own is refused, naming both.
    repoint = (
        f"key,name,email,organisation\n{amy.key},Amy Leung,rival@example.net,Harbour Law LLP\n"
    )
    key = Participant.objects.get(event=rival_event, person=amy.person).key
    upload(page, rival_event, "repoint.csv", repoint.replace(amy.key, key).encode())
    page.wait_for_selector("text=nothing was imported")
    text = page.locator("main").inner_text()
    assert "amy.leung@example.com" in text and "rival@example.net" in text
    save_screenshot(page, "backoffice-import-repoint-refused")
    amy.person.refresh_from_db()
    assert amy.person.email.lower() == "amy.leung@example.com"

    # Amy, in Simplified Chinese on a phone, sees what Y proposed and accepts the title.
    sign_in(page, amy.person.email.lower())
    page.goto(f"{page.base_url}/events/{amy.event.slug}/profile/")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    page.set_viewport_size(PHONE)
    section = page.locator("section.proposals")
    section.first.wait_for()
    assert "Shenzhen Expo 2027" in section.first.inner_text()
    assert "service_provider" not in section.first.inner_text()
    save_screenshot(page, "portal-proposals-zh-hans-phone")
    row = section.locator("tr", has_text="Office Manager")
    row.locator("button[value=accept]").click()
    page.wait_for_load_state("load")
    amy.person.refresh_from_db()
    assert amy.person.title == "Office Manager"
    assert ProposedChange.objects.get(field="title").status == "accepted"
