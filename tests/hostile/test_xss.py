"""Script in profiles and opportunities shows as text everywhere it is shown, never runs."""

import io

import pytest
from openpyxl import load_workbook

from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from tests.factories import answer_consents

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile_event(document, django_user_model):
    document["organisations"][0]["name"] = f"Harbour {SCRIPT} Law"
    document["organisations"][0]["description"] = f"Listing {IMAGE} counsel"
    document["participants"][0]["name"] = f"Amy {SCRIPT}"
    document["opportunities"][0]["title"] = f"HKEX {IMAGE} listing"
    import_document(document)
    event = Event.objects.get(slug=document["event"]["slug"])
    viewer = Participant.objects.select_related("person").get(event=event, key="p2")
    user = django_user_model.objects.create_user(viewer.person.email.lower(), "a-long-password")
    viewer.person.user = user
    viewer.person.save()
    answer_consents(viewer.person)
    return event, user


def assert_escaped(html: str, where: str, shown: bool = True) -> None:
    assert SCRIPT not in html and "<img src=x" not in html, where
    if shown:  # the payload is on the page, as text
        assert "&lt;script&gt;" in html or "&lt;img" in html, where


def test_pages_show_payloads_as_text(client, admin_client, hostile_event):
    event, user = hostile_event
    client.force_login(user)
    base = f"/events/{event.slug}"
    assert_escaped(client.get(f"{base}/").text, "event page", shown=False)
    for url in [
        f"{base}/directory/?show=organisations",
        f"{base}/directory/?show=opportunities",
        f"{base}/directory/?show=people",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.text, url)
    for url in [
        f"/orga/{event.slug}/profiles/",
        f"/orga/{event.slug}/checkin/?q=Amy",
        "/admin/directory/organisation/",
        "/admin/directory/participant/",
        "/admin/directory/opportunity/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.text, url)


def test_the_api_returns_payloads_as_json_text(client, hostile_event):
    event, user = hostile_event
    client.force_login(user)
    response = client.get(f"/api/v1/events/{event.slug}/organisations")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert any(SCRIPT in o["name"] for o in response.json()["items"])  # data, not markup


def test_exports_keep_payloads_as_inert_text(admin_client, hostile_event):
    event, _user = hostile_event
    response = admin_client.get(f"/orga/{event.slug}/exports/organisations.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(SCRIPT in c for c in cells)  # kept as the delegate wrote it, as text


def test_mails_are_plain_text_with_the_payload_as_written(hostile_event):
    from superconnector.core.models import OutgoingMail
    from superconnector.meetings.domain.requests import send_request

    event, _user = hostile_event
    sender = Participant.objects.get(event=event, key="p1")  # "Amy <script>…"
    recipient = Participant.objects.get(event=event, key="p4")
    send_request(sender, recipient, message=IMAGE, actor=None, source="test")
    mail = OutgoingMail.objects.latest("pk")
    assert not hasattr(mail, "html_body") or not mail.html_body
    assert SCRIPT in mail.subject + mail.body  # plain text: shown, never interpreted


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>"])
def test_a_script_address_is_refused_as_a_website(document, url):
    document["organisations"][0]["website"] = url
    with pytest.raises(ImportRejected) as caught:
        import_document(document)
    assert "website" in caught.value.problems[0].path
