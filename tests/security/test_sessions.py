"""Sessions: a new key at sign-in, an idle and an absolute timeout, and disabled users
losing every way in at their next request."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from superconnector.api.domain.tokens import issue_token
from superconnector.core.middleware import LAST_SEEN, RENEW_AFTER, SIGNED_IN_AT
from superconnector.events.domain.access import add_organiser
from tests.factories import EventFactory, ParticipantFactory
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_as(client, path: str = "/"):
    user = client.get(path).wsgi_request.user
    return user if user.is_authenticated else None


def test_signing_in_gives_a_new_session_key(client, user):
    client.get("/accounts/login/")
    client.session.save()  # an anonymous session, as an attacker could have planted
    before = client.session.session_key
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})[
        "Location"
    ]
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_the_idle_timeout_slides_with_use(client, user):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(user)
    key = client.session.session_key
    session = client.session
    session[LAST_SEEN] -= RENEW_AFTER
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert signed_in_as(client) == user
    expires = Session.objects.get(pk=key).expire_date
    assert expires > timezone.now() + dt.timedelta(hours=7, minutes=59)


def test_requests_within_a_minute_do_not_rewrite_the_session(client, user):
    client.force_login(user)
    key = client.session.session_key
    soon = timezone.now() + dt.timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    assert signed_in_as(client) == user
    assert Session.objects.get(pk=key).expire_date == soon


def test_a_session_idle_too_long_ends_even_if_its_row_lingers(client, user):
    client.force_login(user)
    session = client.session
    session[LAST_SEEN] -= settings.SESSION_COOKIE_AGE + 1
    session.save()
    assert signed_in_as(client) is None


def test_an_idle_session_ends(client, user):
    client.force_login(user)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    assert signed_in_as(client) is None


def test_a_session_ends_a_day_after_sign_in_however_active(client, user):
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert signed_in_as(client) == user
    session = client.session
    assert abs(session[SIGNED_IN_AT] - time.time()) < 60
    session[SIGNED_IN_AT] = int(time.time()) - settings.SUPERCONNECTOR_SESSION_MAX_AGE - 1
    session.save()
    assert signed_in_as(client) is None
    assert "_auth_user_id" not in client.session
    assert settings.SUPERCONNECTOR_SESSION_MAX_AGE == 24 * 3600


def test_signing_in_again_restarts_the_absolute_clock(client, user):
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SUPERCONNECTOR_SESSION_MAX_AGE + 60
    session.save()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert time.time() - client.session[SIGNED_IN_AT] < 60


def test_a_disabled_user_is_signed_out_at_the_next_request(client, user):
    client.force_login(user)
    assert signed_in_as(client) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert signed_in_as(client) is None
    assert client.get("/orga/").status_code == 302  # back to the login page


def test_a_disabled_users_session_no_longer_reaches_the_api(client, user):
    event = EventFactory()
    participant = ParticipantFactory(event=event, person__user=user, person__email=user.email)
    client.force_login(user)
    assert client.get(f"/api/v1/events/{event.slug}").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(f"/api/v1/events/{event.slug}").status_code == 401
    assert participant.pk


def test_a_disabled_users_api_tokens_stop_working(user, django_user_model):
    event = EventFactory()
    participant = ParticipantFactory(event=event, person__user=user, person__email=user.email)
    organiser = django_user_model.objects.create_user("orga@example.com", PASSWORD)
    team = add_organiser(event, organiser)
    _, delegate_raw = issue_token("delegate", event=event, participant=participant)
    _, organiser_raw = issue_token("organiser", event=event, team=team, issued_by=organiser)

    def status(raw: str) -> int:
        return (
            Client()
            .get(f"/api/v1/events/{event.slug}", headers={"Authorization": f"Bearer {raw}"})
            .status_code
        )

    assert status(delegate_raw) == status(organiser_raw) == 200
    for account in (user, organiser):
        account.is_active = False
        account.save(update_fields=["is_active"])
    assert status(delegate_raw) == status(organiser_raw) == 401
