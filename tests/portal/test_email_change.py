"""Changing one's e-mail address (and login): only by its owner, confirmed by a link sent
to the new address, or by platform staff; nobody else has a way to."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from superconnector.core.domain.signin import create_sign_in_link, hash_token
from superconnector.core.models import OutgoingMail, SignInLink, User
from superconnector.core.models.signin import EmailChangeLink
from superconnector.directory.models import Person
from superconnector.events.models import AuditEntry
from superconnector.portal.domain.email_change import request_email_change
from tests.factories import ParticipantFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"(?:https?://[^\s/]+)?(/accounts/email/confirm/([^/\s]+)/)")
NEW = "amy.new@example.com"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the mail throttle counts in the cache, which outlives a rollback
    yield
    cache.clear()


def confirmation(mail: OutgoingMail) -> tuple[str, str]:
    path, token = CONFIRM.search(mail.body).groups()
    return path, token


def signs_in(email: str, password: str) -> bool:
    response = Client().post(reverse("login"), {"username": email, "password": password})
    return response.status_code == 302


def test_a_delegate_changes_their_address_through_a_link_to_the_new_one(amy_client, amy, event):
    amy_person = amy.person
    other_event = ParticipantFactory(person=amy_person).event  # shown by a second event
    old_link = create_sign_in_link(amy, "/")  # mailed to the old address earlier
    page = amy_client.get(reverse("email-change"))
    assert page.status_code == 200 and "amy.leung@example.com" in page.text
    # The portal's profile page and the my-data page lead there.
    assert (
        reverse("email-change") in amy_client.get(reverse("portal:profile", args=[event.slug])).text
    )
    assert reverse("email-change") in amy_client.get(reverse("privacy:my-data")).text

    response = amy_client.post(reverse("email-change"), {"email": "Amy.New@Example.com"})
    assert response.status_code == 302
    mail = OutgoingMail.objects.get(kind="email_change")
    assert mail.to == NEW  # the link goes to the NEW address only
    path, token = confirmation(mail)
    stored = EmailChangeLink.objects.get()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    assert dt.timedelta(hours=23) < stored.expires_at - timezone.now() <= dt.timedelta(hours=24)
    amy.refresh_from_db()
    assert amy.email == "amy.leung@example.com"  # nothing changes until it is confirmed

    browser = Client()  # opened from the mail client: no session needed
    assert browser.get(path).status_code == 200  # a mail scanner's GET does not spend it
    assert EmailChangeLink.objects.get().used_at is None
    done = browser.post(path)
    assert done.status_code == 302
    amy.refresh_from_db()
    amy_person.refresh_from_db()
    assert amy.email == amy_person.email == NEW
    # The login is the address: signing in with the new one works, the old one does not.
    assert signs_in(NEW, "a-long-password")
    assert not signs_in("amy.leung@example.com", "a-long-password")
    # The old address is told; links mailed to it no longer sign in.
    notice = OutgoingMail.objects.get(kind="email_changed")
    assert notice.to == "amy.leung@example.com" and NEW in notice.body
    assert Client().post(old_link).status_code == 410
    assert not SignInLink.objects.filter(used_at__isnull=True).exists()
    # Every event that shows the person has it in its audit log.
    entries = AuditEntry.objects.filter(action="change", subject=f"person:{amy_person.pk}")
    assert {e.event for e in entries} == {event, other_event}
    assert all(
        e.detail
        == {"field": "email", "old": "amy.leung@example.com", "new": NEW, "via": "confirmed link"}
        and e.actor == amy
        for e in entries
    )
    # Single use.
    assert browser.post(path).status_code == 410
    assert browser.get(path).status_code == 410


@pytest.mark.parametrize(
    "taken",
    ["zhang.wei@example.com", "ZHANG.WEI@example.com", "orga@example.com"],
    ids=["another person", "another person, other case", "another account"],
)
def test_an_address_someone_else_has_is_refused_with_a_clear_message(
    amy_client, amy, django_user_model, taken
):
    django_user_model.objects.create_user("orga@example.com", "a-long-password")
    response = amy_client.post(reverse("email-change"), {"email": taken})
    assert response.status_code == 200
    assert "is already the address of another person or account" in response.text
    assert not OutgoingMail.objects.exists() and not EmailChangeLink.objects.exists()
    response = amy_client.post(reverse("email-change"), {"email": "Amy.Leung@example.com"})
    assert "is already your address" in response.text


def test_an_address_taken_before_the_confirmation_is_refused_then(amy, event):
    request_email_change(amy, NEW)
    _, token = confirmation(OutgoingMail.objects.get(kind="email_change"))
    Person.objects.create(email=NEW, name="Someone Else")
    response = Client().post(reverse("email-change-confirm", args=[token]))
    assert response.status_code == 409
    assert "is already the address of another person or account" in response.text
    amy.refresh_from_db()
    assert amy.email == amy.person.email == "amy.leung@example.com"
    assert not OutgoingMail.objects.filter(kind="email_changed").exists()


def test_expired_voided_and_unknown_links_change_nothing(amy):
    request_email_change(amy, NEW, now=timezone.now() - dt.timedelta(hours=25))
    _, expired = confirmation(OutgoingMail.objects.get())
    assert Client().post(reverse("email-change-confirm", args=[expired])).status_code == 410
    # Asking again replaces the earlier link (a mistyped address must not stay usable).
    request_email_change(amy, "amy.typo@example.com")
    request_email_change(amy, NEW)
    first, second = (
        confirmation(m)[1]
        for m in OutgoingMail.objects.filter(kind="email_change").order_by("pk")[1:]
    )
    assert Client().post(reverse("email-change-confirm", args=[first])).status_code == 410
    assert Client().post(reverse("email-change-confirm", args=["not-a-token"])).status_code == 410
    amy.refresh_from_db()
    assert amy.email == "amy.leung@example.com"
    assert Client().post(reverse("email-change-confirm", args=[second])).status_code == 302
    amy.refresh_from_db()
    assert amy.email == NEW


def test_a_disabled_account_cannot_confirm(amy):
    request_email_change(amy, NEW)
    _, token = confirmation(OutgoingMail.objects.get())
    User.objects.filter(pk=amy.pk).update(is_active=False)
    assert Client().post(reverse("email-change-confirm", args=[token])).status_code == 410
    assert Person.objects.get(user=amy).email == "amy.leung@example.com"


def test_asking_is_for_signed_in_people_and_throttled(amy_client):
    assert Client().get(reverse("email-change"))["Location"].startswith("/accounts/login/")
    for _ in range(3):  # at most 3 mails to one address in 15 minutes, as for sign-in links
        amy_client.post(reverse("email-change"), {"email": "new0@example.com"})
    assert OutgoingMail.objects.filter(kind="email_change").count() == 3
    for _ in range(2):
        response = amy_client.post(reverse("email-change"), {"email": "new0@example.com"})
        assert "Too many requests" in response.text
    assert OutgoingMail.objects.filter(kind="email_change").count() == 3


def test_an_organiser_needs_the_second_factor_to_change_their_address(
    client, event, django_user_model, settings
):
    from superconnector.events.domain.access import add_organiser

    settings.SUPERCONNECTOR_ORGANISER_TWO_FACTOR = True
    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)  # a password alone
    response = client.post(reverse("email-change"), {"email": "orga.new@example.com"})
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert not OutgoingMail.objects.exists()


# --- staff, in the admin -------------------------------------------------------------------


@pytest.fixture
def staff_client(django_user_model):
    staff = django_user_model.objects.create_user(
        "staff@example.com", "pw-123456", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(staff)
    client.staff = staff
    return client


def _person_form(person: Person, **changes) -> dict:
    form = {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "phone": person.phone,
        "languages": "[]",
        "user": person.user_id or "",
    }
    return {**form, **changes}


def test_staff_change_a_persons_address_and_the_account_follows(staff_client, amy, event):
    person = amy.person
    url = reverse("admin:directory_person_change", args=[person.pk])
    response = staff_client.post(url, _person_form(person, email="Amy.Staff@example.com"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    amy.refresh_from_db()
    assert person.email == amy.email == "amy.staff@example.com"
    assert OutgoingMail.objects.get(kind="email_changed").to == "amy.leung@example.com"
    entry = AuditEntry.objects.get(action="change", event=event, detail__field="email")
    assert entry.actor == staff_client.staff and entry.detail["via"] == "staff"


def test_staff_change_an_accounts_address_and_the_person_follows(staff_client, amy):
    url = reverse("admin:core_user_change", args=[amy.pk])
    form = {
        "email": "amy.other@example.com",
        "name": amy.name,
        "locale": "",
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }
    assert staff_client.post(url, form).status_code == 302
    assert Person.objects.get(user=amy).email == "amy.other@example.com"
    # Not to an address another person has.
    response = staff_client.post(url, {**form, "email": "li.na@example.com"})
    assert response.status_code == 200
    assert "already the address of another person" in response.text
    amy.refresh_from_db()
    assert amy.email == "amy.other@example.com"


def test_staff_cannot_link_an_account_of_another_address(staff_client, event, django_user_model):
    li_na = participant(event, "p4").person
    mallory = django_user_model.objects.create_user("mallory@evil.example")
    url = reverse("admin:directory_person_change", args=[li_na.pk])
    response = staff_client.post(url, _person_form(li_na, user=mallory.pk))
    assert response.status_code == 200
    assert "has another address than li.na@example.com" in response.text
    li_na.refresh_from_db()
    assert li_na.user_id is None
    own = django_user_model.objects.create_user("li.na@example.com")
    assert staff_client.post(url, _person_form(li_na, user=own.pk)).status_code == 302
    li_na.refresh_from_db()
    assert li_na.user == own
    assert AuditEntry.objects.filter(action="change", event=event, subject=f"person:{li_na.pk}")


# --- nobody else ---------------------------------------------------------------------------


def test_no_api_operation_writes_people():
    """The API's only writes are meeting requests: none changes a person (or their e-mail).
    A new writing operation has to be judged here."""
    from superconnector.api.api import api

    writes = {
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method != "get"
    }
    assert writes and all("/meeting-requests" in path for _method, path in writes)


def test_an_organiser_without_a_delegate_record_changes_their_address(
    client, event, django_user_model
):
    from superconnector.events.domain.access import add_organiser

    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)
    client.post(reverse("email-change"), {"email": "orga.new@example.com"})
    path, _ = confirmation(OutgoingMail.objects.get(kind="email_change"))
    assert client.post(path)["Location"] == reverse("privacy:my-data")
    organiser.refresh_from_db()
    assert organiser.email == "orga.new@example.com"
    entry = AuditEntry.objects.get(action="change", event=event)
    assert entry.subject == f"user:{organiser.pk}" and entry.detail["new"] == organiser.email
