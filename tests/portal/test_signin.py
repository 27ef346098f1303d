"""Sign-in links, invitations, password reset and the remembered language."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from superconnector.core.domain.signin import create_sign_in_link, hash_token
from superconnector.core.models import OutgoingMail, SignInLink, User
from superconnector.directory.domain.invitations import invite_participants
from superconnector.directory.models import Participant
from superconnector.privacy.domain.consent import current_consents

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/accounts/sign-in/([^/\s]+)/")


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def token_in(mail: OutgoingMail) -> str:
    return LINK.search(mail.body).group(1)


def test_login_page_offers_a_sign_in_link_and_password_reset(client):
    response = client.get("/accounts/login/?next=/events/x/agenda/")
    assert response.status_code == 200
    assert 'href="/accounts/sign-in-link/?next=/events/x/agenda/"' in response.text
    assert 'href="/accounts/password_reset/"' in response.text


def test_asking_for_a_link_answers_the_same_for_unknown_addresses(client, amy):
    known = client.post("/accounts/sign-in-link/", {"email": "AMY.LEUNG@example.com"})
    unknown = client.post("/accounts/sign-in-link/", {"email": "stranger@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/sign-in-link/sent/"
    assert without_csrf(client.get(known["Location"]).text) == without_csrf(
        client.get(unknown["Location"]).text
    )
    mail = OutgoingMail.objects.get()
    assert mail.to == amy.email and mail.kind == "sign_in_link"
    link = SignInLink.objects.get()
    assert link.user == amy and link.used_at is None
    # Only the hash is stored; the token itself is only in the mail.
    assert link.token_hash == hash_token(token_in(mail)) and token_in(mail) not in link.token_hash
    assert dt.timedelta(minutes=29) < link.expires_at - timezone.now() <= dt.timedelta(minutes=30)


def test_link_signs_in_once_and_rotates_the_session(client, amy, event):
    client.post(
        "/accounts/sign-in-link/",
        {"email": amy.email, "next": f"/events/{event.slug}/agenda/"},
    )
    path = f"/accounts/sign-in/{token_in(OutgoingMail.objects.get())}/"
    client.get("/")  # an anonymous session exists before signing in
    client.session.save()
    before = client.session.session_key
    # Opening the link (as a mail scanner would) does not spend it.
    assert client.get(path).status_code == 200
    assert SignInLink.objects.get().used_at is None
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/events/bj-hk-2026/agenda/"
    assert client.session["_auth_user_id"] == str(amy.pk)
    assert client.session.session_key != before
    assert SignInLink.objects.get().used_at is not None
    client.logout()
    again = client.post(path)
    assert again.status_code == 410 and "_auth_user_id" not in client.session
    assert client.get(path).status_code == 410


def test_expired_link_does_not_sign_in(client, amy):
    url = create_sign_in_link(amy, "/", now=timezone.now() - dt.timedelta(minutes=31))
    response = client.post(url)
    assert response.status_code == 410
    assert "This link no longer works" in response.text
    assert "_auth_user_id" not in client.session


def test_unknown_token_and_foreign_next_url(client, amy):
    assert client.post("/accounts/sign-in/not-a-token/").status_code == 410
    url = create_sign_in_link(amy, "https://evil.example.com/steal")
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/"


def test_inactive_user_cannot_use_a_link(client, amy):
    url = create_sign_in_link(amy, "/")
    amy.is_active = False
    amy.save()
    assert client.post(url).status_code == 410


def test_invitations_make_accounts_and_queue_one_mail_each(client, event):
    people = Participant.objects.filter(event=event, key__in=["p1", "p2"])
    assert invite_participants(event, people, base_url="https://fair.example.org").queued == 2
    mails = list(OutgoingMail.objects.filter(kind="invitation").order_by("to"))
    assert [m.to for m in mails] == ["amy.leung@example.com", "zhang.wei@example.com"]
    assert all(
        m.event == event and "https://fair.example.org/accounts/sign-in/" in m.body for m in mails
    )
    amy = User.objects.get(email="amy.leung@example.com")
    assert not amy.has_usable_password() and amy.name == "Amy Leung"
    assert Participant.objects.get(event=event, key="p1").person.user == amy
    response = client.post(f"/accounts/sign-in/{token_in(mails[0])}/")
    assert response["Location"] == "/events/bj-hk-2026/recommendations/"
    # Registration's consent step comes first: four unticked boxes, then the page asked for.
    welcome = client.get(response["Location"])
    assert welcome["Location"] == (
        "/accounts/my-data/welcome/?next=%2Fevents%2Fbj-hk-2026%2Frecommendations%2F"
    )
    page = client.get(welcome["Location"])
    assert page.text.count('type="checkbox"') == 4 and "checked" not in page.text
    from django.utils.html import escape

    from superconnector.privacy.models import PURPOSE_DETAILS

    for explanation in PURPOSE_DETAILS.values():  # each box says what it changes
        assert escape(str(explanation)) in page.text
    answered = client.post(
        "/accounts/my-data/welcome/",
        {"profile": "on", "next": "/events/bj-hk-2026/recommendations/"},
    )
    assert answered["Location"] == "/events/bj-hk-2026/recommendations/"
    assert client.get(answered["Location"]).status_code == 200
    assert current_consents(amy.person) == {
        "profile": True,
        "contact": False,
        "cross_border": False,
        "marketing": False,
    }


def test_password_reset_uses_portal_pages_and_the_outbox(client, amy):
    page = client.get("/accounts/password_reset/")
    assert page.status_code == 200 and "Reset your password" in page.text
    assert "Django administration" not in page.text  # not the admin's template
    response = client.post("/accounts/password_reset/", {"email": amy.email})
    assert response["Location"] == "/accounts/password_reset/done/"
    mail = OutgoingMail.objects.get(kind="password_reset")
    assert mail.to == amy.email and "/accounts/reset/" in mail.body
    reset_path = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body).group(1)
    form = client.get(reset_path, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password-7", "new_password2": "a-new-long-password-7"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    amy.refresh_from_db()
    assert amy.check_password("a-new-long-password-7")


def test_language_choice_is_stored_and_restored_at_sign_in(client, amy, event):
    client.force_login(amy)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    amy.refresh_from_db()
    assert amy.locale == "zh-hant"
    # A new browser without the language cookie: the stored choice comes back.
    client.logout()
    client.cookies.clear()
    client.force_login(amy)
    response = client.get(f"/events/{event.slug}/meetings/")
    assert 'lang="zh-hant"' in response.text
    assert response.cookies["django_language"].value == "zh-hant"


def test_anonymous_language_choice_is_kept_at_first_sign_in(client, amy):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    client.force_login(amy)
    client.get("/")
    amy.refresh_from_db()
    assert amy.locale == "zh-hans"
