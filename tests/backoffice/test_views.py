"""Every back-office page: organisers get it, delegates a 404, anonymous people the login."""

import pytest
from django.urls import reverse

from superconnector.backoffice.uploads import stage_import
from superconnector.events.models import MeetingSession
from superconnector.matchmaking.models import MatchingRun
from superconnector.meetings.models import SchedulingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(event, organiser):
    session = MeetingSession.objects.get(event=event, key="am")
    staged = stage_import(event, organiser, "list.csv", b"name,email,organisation\nA,a@x.com,X\n")
    matching = MatchingRun.objects.create(event=event)
    scheduling = SchedulingRun.objects.create(event=event)
    slug = event.slug
    return [
        reverse("backoffice:dashboard", args=[slug]),
        reverse("backoffice:event-edit", args=[slug]),
        reverse("backoffice:sessions", args=[slug]),
        reverse("backoffice:session-edit", args=[slug, session.pk]),
        reverse("backoffice:import", args=[slug]),
        reverse("backoffice:import-detail", args=[slug, staged.pk]),
        reverse("backoffice:profiles", args=[slug]),
        reverse("backoffice:runs", args=[slug]),
        reverse("backoffice:matching-progress", args=[slug, matching.pk]),
        reverse("backoffice:scheduling-progress", args=[slug, scheduling.pk]),
        reverse("backoffice:publish", args=[slug]),
        reverse("backoffice:checkin", args=[slug]) + "?q=Amy",
        reverse("backoffice:badges", args=[slug]),
        reverse("backoffice:exports", args=[slug]),
        reverse("backoffice:export", args=[slug, "participants", "csv"]),
        reverse("backoffice:export", args=[slug, "participants", "xlsx"]),
    ]


def test_organiser_opens_every_page(orga_client, pages):
    for url in pages:
        response = orga_client.get(url)
        assert response.status_code == 200, url


def test_delegate_gets_404_everywhere(delegate_client, pages):
    for url in pages:
        assert delegate_client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_login(client, pages):
    for url in [*pages, reverse("backoffice:events"), reverse("backoffice:event-create")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_unknown_event_looks_the_same_as_a_forbidden_one(orga_client, delegate_client):
    assert orga_client.get("/orga/no-such-event/").status_code == 404


def test_staff_may_open_any_event(admin_client, event):
    assert admin_client.get(reverse("backoffice:dashboard", args=[event.slug])).status_code == 200


def test_post_only_actions_refuse_delegates(delegate_client, event):
    slug = event.slug
    session = MeetingSession.objects.get(event=event, key="am")
    for url in [
        reverse("backoffice:matching-start", args=[slug]),
        reverse("backoffice:scheduling-start", args=[slug]),
        reverse("backoffice:session-delete", args=[slug, session.pk]),
        reverse("backoffice:checkin-action", args=[slug, 1]),
        reverse("backoffice:publish", args=[slug]),
        reverse("backoffice:profiles", args=[slug]),
    ]:
        assert delegate_client.post(url).status_code == 404, url
    assert not SchedulingRun.objects.exists() and not MatchingRun.objects.exists()


def test_event_list_shows_only_organised_events(orga_client, event, django_user_model):
    from tests.factories import EventFactory

    EventFactory(name="Somebody else's fair")
    response = orga_client.get(reverse("backoffice:events"))
    assert response.status_code == 200
    assert "Beijing-Hong Kong Seminar" in response.text
    assert "Somebody else" not in response.text
    assert reverse("backoffice:dashboard", args=[event.slug]) in response.text


def test_delegate_sees_no_events_and_cannot_create(delegate_client):
    response = delegate_client.get(reverse("backoffice:events"))
    assert response.status_code == 200 and "You do not organise any event yet." in response.text
    assert delegate_client.get(reverse("backoffice:event-create")).status_code == 404


def test_subnav_marks_the_current_page(orga_client, event):
    response = orga_client.get(reverse("backoffice:profiles", args=[event.slug]))
    assert (
        f'href="{reverse("backoffice:profiles", args=[event.slug])}" aria-current="page"'
        in response.text
    )
    assert "backoffice/backoffice.css" in response.text
    assert "<script>" not in response.text  # no inline scripts (CSP)
