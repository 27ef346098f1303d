"""Organisers' second factor: the TOTP algorithm, where it is enforced, and the defences
around it (no replay, single-use recovery codes, throttling, a new session key)."""

import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.core.checks import run_checks
from django.test import Client

from superconnector.api.domain.tokens import issue_token
from superconnector.core.config import load_config
from superconnector.core.domain.totp import (
    STEP_SECONDS,
    VERIFIED_SESSION_KEY,
    WRONG_CODE_LIMIT,
    hotp,
    matching_step,
    provisioning_uri,
    secret_key,
    totp,
)
from superconnector.core.models import RecoveryCode, TotpDevice
from superconnector.events.domain.access import add_organiser
from tests.factories import EventFactory, ParticipantFactory
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
RECOVERY = "/accounts/two-factor/recovery/"
RENEW = "/accounts/two-factor/recovery-codes/"


# --- The algorithm against the RFCs' own vectors -----------------------------------

RFC6238_SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890" * 6 + b"1234",
}
# RFC 6238, Appendix B: (time, SHA-1, SHA-256, SHA-512), 8 digits.
RFC6238_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("when", "sha1", "sha256", "sha512"), RFC6238_VECTORS)
def test_totp_matches_the_rfc_6238_vectors(when, sha1, sha256, sha512):
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        assert totp(RFC6238_SEEDS[digest], when, digits=8, digest=digest) == expected
    # Six digits are the same number modulo 10**6: the last six of the eight.
    assert totp(RFC6238_SEEDS["sha1"], when) == sha1[-6:]


def test_hotp_matches_the_rfc_4226_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314"]
    expected += ["254676", "287922", "162583", "399871", "520489"]
    assert [hotp(b"12345678901234567890", counter) for counter in range(10)] == expected


def test_one_step_of_drift_either_way_is_accepted_and_no_more():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of the RFC seed
    assert secret_key(secret) == RFC6238_SEEDS["sha1"]
    now = 1111111111
    step = now // STEP_SECONDS
    for offset in (-1, 0, 1):
        code = totp(secret_key(secret), now + offset * STEP_SECONDS)
        assert matching_step(secret, code, when=now, after=-1) == step + offset
    for offset in (-2, 2):
        code = totp(secret_key(secret), now + offset * STEP_SECONDS)
        assert matching_step(secret, code, when=now, after=-1) is None
    current = totp(secret_key(secret), now)
    assert matching_step(secret, current[:3] + " " + current[3:], when=now, after=-1) == step
    assert matching_step(secret, current, when=now, after=step) is None  # already used


def test_the_provisioning_uri_names_the_account_and_the_parameters():
    uri = provisioning_uri("JBSWY3DPEHPK3PXP", "amy@example.com")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "otpauth",
        "totp",
        "/Superconnector:amy@example.com",
    )
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    assert query == {
        "secret": "JBSWY3DPEHPK3PXP",
        "issuer": "Superconnector",
        "algorithm": "SHA1",
        "digits": "6",
        "period": "30",
    }


# --- Fixtures ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    # tests/settings.py switches it off for the rest of the suite.
    settings.SUPERCONNECTOR_ORGANISER_TWO_FACTOR = True


def organiser_token(event, team) -> str:
    return issue_token("script", event=event, team=team)[1]


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def organiser(event, django_user_model):
    user = django_user_model.objects.create_user("orga@example.com", PASSWORD)
    user.team = add_organiser(event, user)
    return user


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("staff@example.com", PASSWORD, is_staff=True)


@pytest.fixture
def delegate(event, django_user_model):
    user = django_user_model.objects.create_user("amy@example.com", PASSWORD)
    ParticipantFactory(event=event, person__user=user, person__email=user.email)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def set_up_device(user) -> TotpDevice:
    """A confirmed device whose codes the test computes itself."""
    return TotpDevice.objects.create(
        user=user, secret="GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", confirmed_at="2026-01-01T00:00Z"
    )


def current_code(device: TotpDevice, offset_steps: int = 0) -> str:
    return totp(secret_key(device.secret), time.time() + offset_steps * STEP_SECONDS)


def wrong_code(device: TotpDevice) -> str:
    valid = {current_code(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def verify(client, code: str, next_url: str = "/orga/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


def redirect_target(response) -> tuple[str, str]:
    parts = urlsplit(response["Location"])
    return parts.path, parse_qs(parts.query).get("next", [""])[0]


# --- Where it is enforced ----------------------------------------------------------


def test_an_organiser_without_a_device_is_sent_to_set_one_up(organiser):
    response = signed_in(organiser).get("/orga/")
    assert response.status_code == 302
    assert redirect_target(response) == (SETUP, "/orga/")


def test_staff_without_a_device_are_sent_to_set_up_from_the_admin(staff):
    response = signed_in(staff).get("/admin/core/user/?q=amy")
    assert response.status_code == 302
    assert redirect_target(response) == (SETUP, "/admin/core/user/?q=amy")


def test_an_organiser_with_a_device_is_sent_to_verify(organiser, staff):
    for user in (organiser, staff):
        set_up_device(user)
        client = signed_in(user)
        for path in ("/orga/", "/admin/"):
            response = client.get(path)
            assert response.status_code == 302
            assert redirect_target(response) == (VERIFY, path)


def test_a_delegate_is_never_asked(delegate, event):
    client = signed_in(delegate)
    for path in ("/orga/", "/admin/"):
        response = client.get(path)
        assert "two-factor" not in response.get("Location", "")
    assert client.get(f"/api/v1/events/{event.slug}").status_code == 200
    assert client.get(SETUP).status_code == 200  # may set it up, is not made to


def test_it_can_be_switched_off(organiser, settings):
    settings.SUPERCONNECTOR_ORGANISER_TWO_FACTOR = False
    assert signed_in(organiser).get("/orga/").status_code == 200


def test_the_rest_of_the_site_stays_open_to_an_unverified_organiser(organiser):
    set_up_device(organiser)
    client = signed_in(organiser)
    assert client.get("/").status_code == 200
    assert client.get(VERIFY).status_code == 200


# --- Verifying ---------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_a_right_one_lets_the_organiser_in(organiser):
    device = set_up_device(organiser)
    client = signed_in(organiser)
    response = verify(client, wrong_code(device))
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert client.get("/orga/").status_code == 302
    response = verify(client, current_code(device))
    assert response.status_code == 302 and response["Location"] == "/orga/"
    assert client.get("/orga/").status_code == 200


def test_a_code_cannot_be_used_twice(organiser):
    device = set_up_device(organiser)
    code = current_code(device)
    assert verify(signed_in(organiser), code).status_code == 302
    # Someone who saw the code (and knows the password) tries it in another session.
    thief = signed_in(organiser)
    response = verify(thief, code)
    assert response.status_code == 200 and "used already" in response.content.decode()
    assert thief.get("/orga/").status_code == 302


def test_an_older_code_is_refused_once_a_newer_one_was_used(organiser):
    device = set_up_device(organiser)
    assert verify(signed_in(organiser), current_code(device, +1)).status_code == 302
    assert verify(signed_in(organiser), current_code(device)).status_code == 200


def test_verifying_gives_a_new_session_key(organiser):
    device = set_up_device(organiser)
    client = signed_in(organiser)
    before = client.session.session_key
    verify(client, current_code(device))
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session[VERIFIED_SESSION_KEY] == organiser.pk


def test_the_verified_mark_belongs_to_one_user(organiser, staff):
    set_up_device(organiser)
    client = signed_in(organiser)
    session = client.session
    session[VERIFIED_SESSION_KEY] = staff.pk
    session.save()
    assert client.get("/orga/").status_code == 302


def test_verify_only_returns_to_this_site(organiser):
    device = set_up_device(organiser)
    response = verify(signed_in(organiser), current_code(device), "https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


def test_after_five_wrong_codes_even_the_right_one_is_refused(organiser):
    device = set_up_device(organiser)
    client = signed_in(organiser)
    for _ in range(WRONG_CODE_LIMIT):
        assert verify(client, wrong_code(device)).status_code == 200
    response = verify(client, current_code(device))
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/orga/").status_code == 302
    # Also from a fresh session, and with a recovery code: the count is the user's.
    other = signed_in(organiser)
    assert verify(other, current_code(device, +1)).status_code == 429
    assert other.post(RECOVERY, {"code": "whatever"}).status_code == 429


def test_wrong_codes_of_one_organiser_do_not_throttle_another(organiser, staff):
    device = set_up_device(organiser)
    for _ in range(WRONG_CODE_LIMIT):
        verify(signed_in(organiser), wrong_code(device))
    other = set_up_device(staff)
    assert verify(signed_in(staff), current_code(other)).status_code == 302


# --- Setting up and recovery codes ---------------------------------------------------


def set_up_through_the_pages(client) -> tuple[TotpDevice, list[str]]:
    page = client.get(SETUP + "?next=/orga/")
    assert page.status_code == 200
    device = TotpDevice.objects.get(user=page.wsgi_request.user)
    response = client.post(SETUP, {"code": current_code(device), "next": "/orga/"})
    assert response.status_code == 200
    return device, response.context["codes"]


def test_setting_up_shows_a_qr_code_and_the_key_and_needs_a_right_first_code(organiser):
    client = signed_in(organiser)
    page = client.get(SETUP)
    html = page.content.decode()
    device = TotpDevice.objects.get(user=organiser)
    assert device.confirmed_at is None
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<path" in html
    assert page.context["secret"].replace(" ", "") == device.secret
    assert "otpauth://totp/Superconnector:orga@example.com?secret=" in html
    assert " style=" not in html and "<script>" not in html  # the CSP would block them
    assert "no-store" in page["Cache-Control"]
    assert client.get(SETUP).context["secret"] == page.context["secret"]  # kept on reload

    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200 and "not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is None
    assert client.get("/orga/").status_code == 302

    response = client.post(SETUP, {"code": current_code(device), "next": "/orga/"})
    device.refresh_from_db()
    assert device.confirmed_at is not None
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.get("/orga/").status_code == 200  # confirming counts as verifying


def test_recovery_codes_are_stored_hashed(organiser):
    _, codes = set_up_through_the_pages(signed_in(organiser))
    stored = set(RecoveryCode.objects.filter(user=organiser).values_list("code_hash", flat=True))
    plain = {code.replace("-", "") for code in codes}
    assert stored == {hashlib.sha256(code.encode()).hexdigest() for code in plain}
    assert not stored & plain


def test_a_confirmed_device_cannot_be_replaced_from_an_unverified_session(organiser):
    device = set_up_device(organiser)
    # Someone with only the password must not enrol their own phone instead.
    response = signed_in(organiser).get(SETUP)
    assert response.status_code == 302 and redirect_target(response)[0] == VERIFY
    assert signed_in(organiser).post(SETUP, {"code": "123456"}).status_code == 302
    assert TotpDevice.objects.get(user=organiser).secret == device.secret


def test_a_recovery_code_works_once(organiser):
    _, codes = set_up_through_the_pages(signed_in(organiser))
    client = signed_in(organiser)
    before = client.session.session_key
    response = client.post(RECOVERY, {"code": codes[0].upper(), "next": "/orga/"})
    assert response.status_code == 302 and response["Location"] == "/orga/"
    assert client.session.session_key != before
    assert client.get("/orga/").status_code == 200

    again = signed_in(organiser)
    response = again.post(RECOVERY, {"code": codes[0], "next": "/orga/"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert again.get("/orga/").status_code == 302
    assert again.post(RECOVERY, {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_need_a_verified_session_and_void_the_old_ones(organiser):
    _, old = set_up_through_the_pages(signed_in(organiser))
    unverified = signed_in(organiser)
    response = unverified.post(RENEW)
    assert response.status_code == 302 and redirect_target(response) == (VERIFY, RENEW)
    assert RecoveryCode.objects.filter(user=organiser).count() == 10

    verified = signed_in(organiser)
    assert verified.post(RECOVERY, {"code": old[0]}).status_code == 302
    assert verified.get(RENEW).status_code == 200  # a button, not the codes yet
    new = verified.post(RENEW).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert signed_in(organiser).post(RECOVERY, {"code": old[1]}).status_code == 200
    assert signed_in(organiser).post(RECOVERY, {"code": new[0]}).status_code == 302


# --- The API ----------------------------------------------------------------------


def test_the_session_api_refuses_an_unverified_organiser_but_a_token_works(organiser, event):
    set_up_device(organiser)
    client = signed_in(organiser)
    url = f"/api/v1/events/{event.slug}"
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required" and response.json()["detail"]

    raw = organiser_token(event, organiser.team)
    assert Client().get(url, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    # With the session cookie as well, the token decides, and a bogus one does not fall
    # back to the unverified session.
    assert client.get(url, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert client.get(url, headers={"Authorization": "Bearer sc_bogus"}).status_code == 401


def test_the_session_api_works_once_verified(organiser, event):
    device = set_up_device(organiser)
    client = signed_in(organiser)
    verify(client, current_code(device))
    assert client.get(f"/api/v1/events/{event.slug}").status_code == 200


# --- Deployment ---------------------------------------------------------------------


def test_check_deploy_warns_when_it_is_off(settings):
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "superconnector.W001" not in ids
    settings.SUPERCONNECTOR_ORGANISER_TWO_FACTOR = False
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "superconnector.W001" in ids
    ids = {message.id for message in run_checks(include_deployment_checks=False)}
    assert "superconnector.W001" not in ids


def test_the_setting_is_on_unless_the_operator_says_otherwise(tmp_path):
    base = {"SUPERCONNECTOR_DATA_DIR": str(tmp_path), "SUPERCONNECTOR_SECRET_KEY": "x"}
    assert load_config(base, config_file=None).organiser_two_factor
    off = {**base, "SUPERCONNECTOR_ORGANISER_TWO_FACTOR": "false"}
    assert not load_config(off, config_file=None).organiser_two_factor


def test_staff_reset_a_lost_app_in_the_admin(organiser, django_user_model):
    set_up_through_the_pages(signed_in(organiser))
    admin_user = django_user_model.objects.create_superuser("root@example.com", PASSWORD)
    device = set_up_device(admin_user)
    client = signed_in(admin_user)
    verify(client, current_code(device))
    lost = TotpDevice.objects.get(user=organiser)
    page = client.get(f"/admin/core/totpdevice/{lost.pk}/change/")
    assert page.status_code == 200 and lost.secret not in page.content.decode()
    response = client.post(f"/admin/core/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=organiser).exists()
    assert not RecoveryCode.objects.filter(user=organiser).exists()
    response = signed_in(organiser).get("/orga/")
    assert redirect_target(response)[0] == SETUP
