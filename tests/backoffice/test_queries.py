"""List pages run a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.urls import reverse

from superconnector.events.domain.access import add_organiser
from tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(event):
    # Forty more delegates, each of a new organisation, all named "Delegate ...".
    for n in range(40):
        ParticipantFactory(event=event, person__name=f"Delegate {n}")
    return event


def count_queries(client, url, django_assert_max_num_queries, limit, **params):
    with django_assert_max_num_queries(limit):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_check_in_search(orga_client, crowded, django_assert_max_num_queries):
    url = reverse("backoffice:checkin", args=[crowded.slug])
    # 9 = the page's 8 plus the header asking whether the user organises any event.
    response = count_queries(orga_client, url, django_assert_max_num_queries, 9, q="Delegate")
    assert len(response.context["results"]) == 25  # capped: the desk narrows down by typing
    response = count_queries(orga_client, url, django_assert_max_num_queries, 9, q="Delegate 1")
    assert response.context["results"] and response.text.count('class="checkin-row"') == len(
        response.context["results"]
    )


def test_event_list(orga_client, organiser, django_assert_max_num_queries):
    for _ in range(15):
        add_organiser(EventFactory(), organiser)
    response = count_queries(
        orga_client, reverse("backoffice:events"), django_assert_max_num_queries, 6
    )
    assert len(response.context["events"]) == 16


def test_runs_publish_import_and_sessions_pages(
    orga_client, crowded, django_assert_max_num_queries
):
    from superconnector.meetings.domain.schedule import schedule_event

    schedule_event(crowded, time_limit=5)
    # The publish page reads its last bulk mailing too: one query more, whatever the size.
    for name, limit in (("runs", 16), ("publish", 17), ("import", 8), ("sessions", 8)):
        count_queries(
            orga_client,
            reverse(f"backoffice:{name}", args=[crowded.slug]),
            django_assert_max_num_queries,
            limit,
        )
