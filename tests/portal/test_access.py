"""Every portal page: the event's participants see it, others get 404, anonymous sign in."""

import pytest

from superconnector.meetings.models import Meeting

pytestmark = pytest.mark.django_db

PAGES = [
    "profile/",
    "profile/opportunities/new/",
    "directory/",
    "directory/?show=people",
    "directory/?show=organisations",
    "recommendations/",
    "meetings/",
    "meetings/new/?to=p2",
    "agenda/",
]


def outcome_page(event) -> str:
    return f"agenda/meetings/{Meeting.objects.get(request__key='r1').pk}/outcome/"


@pytest.mark.parametrize("page", PAGES)
def test_participant_sees_the_page(amy_client, event, page):
    response = amy_client.get(f"/events/{event.slug}/{page}")
    assert response.status_code == 200
    assert 'aria-current="page"' in response.text  # the portal's subnav marks the section
    assert "Recommendations" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_participant_of_another_event_gets_404(outsider_client, event, page):
    assert outsider_client.get(f"/events/{event.slug}/{page}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(client, event, page):
    response = client.get(f"/events/{event.slug}/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/events/bj-hk-2026/")


def test_outcome_page_access(amy_client, event, client, django_user_model, account):
    path = f"/events/{event.slug}/{outcome_page(event)}"
    assert amy_client.get(path).status_code == 200
    amy_client.logout()
    assert amy_client.get(path).status_code == 302
    # Peter (p3) is a participant of the event but not in this meeting.
    amy_client.force_login(account("p3"))
    assert amy_client.get(path).status_code == 404


def test_unknown_event_is_404(amy_client):
    assert amy_client.get("/events/no-such-event/profile/").status_code == 404


def test_signed_in_non_participant_gets_404(client, event, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody@example.com", "pw-long-1"))
    assert client.get(f"/events/{event.slug}/meetings/").status_code == 404
