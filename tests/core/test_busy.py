"""A write that meets a locked database (SQLite's busy timeout ran out while a long import
held the write lock, say) answers 503 "the platform is busy" with Retry-After, never 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from superconnector.api.domain.tokens import issue_token
from superconnector.core.models import User
from superconnector.events.domain.access import add_organiser
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

BUSY = "The platform is busy, please try again in a moment."


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.fixture
def failing_client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_page_whose_write_meets_a_locked_database_says_busy(
    failing_client, monkeypatch, language
):
    monkeypatch.setattr("superconnector.portal.views.public.render", locked)
    response = failing_client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    with translation.override(language):
        said = gettext(BUSY)
    assert said in response.content.decode()
    assert (said == BUSY) == (language == "en")  # translated, not the English fallback
    assert response["Content-Language"] == language


def test_the_api_answers_busy_in_its_error_shape(failing_client, monkeypatch):
    event = EventFactory(slug="expo")
    organiser = User.objects.create_user("orga@example.com", "a-long-password")
    team = add_organiser(event, organiser)
    secret = issue_token("orga", event=event, team=team, issued_by=organiser)[1]
    monkeypatch.setattr("superconnector.api.auth.token_for", locked)
    response = failing_client.get(
        "/api/v1/events/expo/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"detail": BUSY, "code": "busy"}


def test_a_locked_database_outside_a_view_says_busy_too(failing_client, monkeypatch):
    """The session is saved after the view, by its middleware: handler500 answers there."""
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.save", locked)
    monkeypatch.setattr("superconnector.portal.views.public.render", _render_touching_the_session)
    response = failing_client.get("/")
    assert response.status_code == 503
    assert BUSY in response.content.decode()


def _render_touching_the_session(request, *args, **kwargs):
    from django.http import HttpResponse

    request.session["touched"] = True  # saved by SessionMiddleware after the view
    return HttpResponse("home")


def test_other_database_errors_stay_server_errors(failing_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: events_event")

    monkeypatch.setattr("superconnector.portal.views.public.render", broken)
    response = failing_client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_only_lock_errors_count_as_busy():
    from superconnector.core.middleware import is_database_busy

    class LockTimeout(Exception):
        sqlstate = "55P03"  # PostgreSQL: lock_not_available (lock_timeout)

    pg = OperationalError("canceling statement due to lock timeout")
    pg.__cause__ = LockTimeout()
    assert is_database_busy(OperationalError("database is locked"))
    assert is_database_busy(pg)
    assert not is_database_busy(OperationalError("disk I/O error"))
    assert not is_database_busy(ValueError("database is locked"))
