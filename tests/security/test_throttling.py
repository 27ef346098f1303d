"""Password guessing locks an address out; the mail-sending forms cannot flood an inbox.

Every answer is the same for addresses with and without an account.
"""

import pytest
from django.core import mail as django_mail
from django.test import RequestFactory, override_settings

from superconnector.core.domain import throttle
from superconnector.core.models import OutgoingMail
from tests.security.conftest import PASSWORD, without_csrf

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post("/accounts/login/", {"username": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_address_even_for_the_right_one(client, user):
    for _ in range(4):
        response = login(client, user.email, "wrong-password")
        assert response.status_code == 200 and not signed_in(client)
    assert login(client, user.email, "wrong-password").status_code == 429
    # The sixth attempt, with the right password, is refused as well.
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert not signed_in(client)


def test_the_count_ignores_case_and_spaces(client, user):
    for spelling in ["AMY@example.com", "amy@EXAMPLE.com ", "Amy@example.com", "amy@example.com"]:
        login(client, spelling, "wrong-password")
    assert login(client, "amy@example.com", "wrong-password").status_code == 429
    assert login(client, user.email, PASSWORD).status_code == 429


def test_an_unknown_address_gets_the_very_same_lockout(client, user):
    known = unknown = None
    for _ in range(6):
        known = login(client, user.email, "wrong-password")
        unknown = login(client, "nobody@example.com", "wrong-password")
    assert known.status_code == unknown.status_code == 429
    assert without_csrf(known.text) == without_csrf(unknown.text)
    assert "amy@example.com" not in known.text


def test_other_addresses_are_not_locked_by_someone_elses_failures(client, user, django_user_model):
    django_user_model.objects.create_user("peter@example.com", PASSWORD)
    for _ in range(6):
        login(client, user.email, "wrong-password")
    response = login(client, "peter@example.com", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_a_successful_login_resets_the_count(client, user):
    for _ in range(4):
        login(client, user.email, "wrong-password")
    assert login(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, user.email, "wrong-password").status_code == 200


def test_sign_in_link_requests_stop_sending_mail_after_the_limit(client, user):
    responses = [client.post("/accounts/sign-in-link/", {"email": user.email}) for _ in range(6)]
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {"/accounts/sign-in-link/sent/"}
    sent = OutgoingMail.objects.filter(kind="sign_in_link", to=user.email).count()
    assert sent == throttle.MAIL_PER_ADDRESS


def test_a_throttled_link_request_answers_like_an_unknown_address(client, user):
    for _ in range(throttle.MAIL_PER_ADDRESS + 1):
        throttled = client.post("/accounts/sign-in-link/", {"email": user.email})
    unknown = client.post("/accounts/sign-in-link/", {"email": "nobody@example.com"})
    assert throttled.status_code == unknown.status_code == 302
    assert throttled["Location"] == unknown["Location"]


def test_password_reset_requests_stop_sending_mail_after_the_limit(client, user):
    responses = [client.post("/accounts/password_reset/", {"email": user.email}) for _ in range(6)]
    assert {r["Location"] for r in responses} == {"/accounts/password_reset/done/"}
    sent = OutgoingMail.objects.filter(kind="password_reset").count() + len(django_mail.outbox)
    assert sent == throttle.MAIL_PER_ADDRESS


def test_one_network_cannot_send_unlimited_links_to_different_addresses(client, django_user_model):
    for number in range(throttle.MAIL_PER_IP + 5):
        email = f"delegate{number}@example.com"
        django_user_model.objects.create_user(email, PASSWORD)
        client.post("/accounts/sign-in-link/", {"email": email})
    assert OutgoingMail.objects.filter(kind="sign_in_link").count() == throttle.MAIL_PER_IP


def test_the_window_ends(monkeypatch):
    assert all(throttle.hit("t", "x", limit=2) for _ in range(2))
    assert not throttle.hit("t", "x", limit=2)
    # A new window: the cache entry has expired.
    throttle.cache.delete(throttle._key("t", "x"))
    assert throttle.hit("t", "x", limit=2)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy declared: the header is not trusted
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the forged first entry is ignored
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: fall back
        (1, "not-an-address", None),  # PostgreSQL's inet column would refuse it
    ],
)
def test_client_ip_trusts_only_the_declared_proxies(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(SUPERCONNECTOR_PROXY_COUNT=proxies):
        assert throttle.client_ip(request) == expected


def test_the_lockout_page_is_translated(client, user):
    for _ in range(6):
        response = client.post(
            "/accounts/login/",
            {"username": user.email, "password": "wrong-password"},
            headers={"Accept-Language": "zh-hans"},
        )
    assert response.status_code == 429
    assert "尝试次数过多" in response.text


def test_lifting_a_lockout_with_axes_reset_username_lifts_the_count_of_tries(client, user):
    from django.core.management import call_command

    for _ in range(6):
        login(client, user.email, "wrong-password")
    assert login(client, user.email, PASSWORD).status_code == 429
    call_command("axes_reset_username", user.email, verbosity=0)
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302 and signed_in(client)
