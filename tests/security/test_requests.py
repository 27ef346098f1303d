"""State changes need POST and the CSRF token; `next` never leads off the site."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from superconnector.core.models import OutgoingMail
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Every route whose only job is to change something. Pages with a form (GET shows it,
# POST saves it) are not listed: their GET changes nothing and is covered by their tests.
MUTATING_ROUTES = [
    ("logout", {}),
    ("portal:opportunity-delete", {"slug": "e", "pk": 1}),
    ("portal:recommendation-feedback", {"slug": "e"}),
    ("portal:recommendation-request", {"slug": "e"}),
    ("portal:request-accept", {"slug": "e", "pk": 1}),
    ("portal:request-decline", {"slug": "e", "pk": 1}),
    ("portal:request-cancel", {"slug": "e", "pk": 1}),
    ("backoffice:session-delete", {"slug": "e", "pk": 1}),
    ("backoffice:import-apply", {"slug": "e", "pk": 1}),
    ("backoffice:matching-start", {"slug": "e"}),
    ("backoffice:scheduling-start", {"slug": "e"}),
    ("backoffice:checkin-action", {"slug": "e", "pk": 1}),
]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize(("name", "kwargs"), MUTATING_ROUTES)
def test_mutating_routes_refuse_get(client, django_user_model, name, kwargs):
    staff = django_user_model.objects.create_user("staff@example.com", PASSWORD, is_staff=True)
    client.force_login(staff)
    before = row_counts()
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 405
    assert row_counts() == before
    # Logging out by GET would let any page sign visitors out with an <img>.
    assert client.session.get("_auth_user_id") == str(staff.pk)


def test_a_sign_in_link_is_not_spent_by_get(client, user):
    client.post("/accounts/sign-in-link/", {"email": user.email})
    body = OutgoingMail.objects.get().body
    path = body[body.index("/accounts/sign-in/") :].split()[0]
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # still usable: GET spent nothing
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/login/", {"username": "amy@example.com", "password": PASSWORD}),
        ("/accounts/sign-in-link/", {"email": "amy@example.com"}),
        ("/accounts/password_reset/", {"email": "amy@example.com"}),
        ("/i18n/setlang/", {"language": "zh-hans"}),
    ],
)
def test_anonymous_forms_need_the_csrf_token(user, path, data):
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, data).status_code == 403
    assert not OutgoingMail.objects.exists()
    assert "_auth_user_id" not in client.session


def test_signed_in_posts_need_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.session.get("_auth_user_id") == str(user.pk)


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_does_not_redirect_off_site(client, user, target):
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_sign_in_link_does_not_redirect_off_site(client, user, target):
    client.post("/accounts/sign-in-link/", {"email": user.email, "next": target})
    body = OutgoingMail.objects.get().body
    path = body[body.index("/accounts/sign-in/") :].split()[0]
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_does_not_redirect_off_site(client, target):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_on_site_next_is_kept(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD, "next": "/events/x/agenda/"},
    )
    assert response["Location"] == "/events/x/agenda/"
