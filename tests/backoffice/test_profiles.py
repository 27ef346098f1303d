import pytest
from django.urls import reverse

from superconnector.directory.models import EventOrganisation, Organisation
from tests.factories import EventOrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_filter_by_status_and_search(orga_client, event):
    EventOrganisation.objects.filter(key="zhiyuan").update(review_status="pending")
    url = reverse("backoffice:profiles", args=[event.slug])
    response = orga_client.get(url, {"status": "pending"})
    assert [link.key for link in response.context["page"].object_list] == ["zhiyuan"]
    assert response.context["counts"] == {"pending": 1, "published": 2, "hidden": 0}
    response = orga_client.get(url, {"q": "bank"})
    assert [link.key for link in response.context["page"].object_list] == ["kowloon-bank"]
    response = orga_client.get(url, {"kind": "service_provider"})
    assert [link.key for link in response.context["page"].object_list] == ["harbour-law"]


def test_bulk_publish_and_hide(orga_client, event):
    EventOrganisation.objects.filter(event=event).update(review_status="pending")
    ids = list(
        EventOrganisation.objects.filter(key__in=["zhiyuan", "harbour-law"]).values_list(
            "pk", flat=True
        )
    )
    url = reverse("backoffice:profiles", args=[event.slug])
    response = orga_client.post(url, {"ids": ids, "status": "published"}, follow=True)
    assert "2 organisations updated." in response.text
    statuses = dict(EventOrganisation.objects.values_list("key", "review_status"))
    assert statuses == {
        "zhiyuan": "published",
        "harbour-law": "published",
        "kowloon-bank": "pending",
    }
    orga_client.post(url, {"ids": ids[:1], "status": "hidden"})
    assert EventOrganisation.objects.get(pk=ids[0]).review_status == "hidden"


def test_bulk_change_cannot_touch_another_event(orga_client, event):
    foreign = EventOrganisationFactory(review_status="pending")
    orga_client.post(
        reverse("backoffice:profiles", args=[event.slug]),
        {"ids": [foreign.pk], "status": "published"},
    )
    foreign.refresh_from_db()
    assert foreign.review_status == "pending"


def test_profiles_page_queries_do_not_grow_with_organisations(
    orga_client, event, django_assert_max_num_queries
):
    for _ in range(40):
        ParticipantFactory(event=event)
    with django_assert_max_num_queries(10):
        response = orga_client.get(reverse("backoffice:profiles", args=[event.slug]))
    assert len(response.context["page"].object_list) == 43


# --- reading one profile before publishing it (issue 14) ------------------------------------


def test_vetting_links_to_a_read_only_profile_shown_before_it_is_published(orga_client, event):
    EventOrganisation.objects.filter(key="zhiyuan").update(review_status="pending")
    Organisation.objects.filter(participations__key="zhiyuan").update(
        description="Vision models. " * 40 + "The whole text, to its last word."
    )
    listing = orga_client.get(reverse("backoffice:profiles", args=[event.slug]))
    detail = reverse("backoffice:profile-detail", args=[event.slug, "zhiyuan"])
    assert detail in listing.text
    response = orga_client.get(detail)
    assert response.status_code == 200
    assert "The whole text, to its last word." in response.text
    assert "Zhang Wei" in response.text and "Li Na" in response.text
    assert "寻求香港上市法律顾问" in response.text
    assert "organisation awaiting review" in response.text  # why its people are not listed
    assert orga_client.post(detail).status_code == 405  # read-only
    assert (
        orga_client.get(reverse("backoffice:profile-detail", args=[event.slug, "nope"])).status_code
        == 404
    )


def test_a_delegate_may_not_read_the_vetting_profile(delegate_client, event):
    detail = reverse("backoffice:profile-detail", args=[event.slug, "zhiyuan"])
    assert delegate_client.get(detail).status_code == 404


def test_another_events_organisation_is_not_read_through_this_event(orga_client, event):
    elsewhere = EventOrganisationFactory(key="elsewhere")
    ParticipantFactory(event=elsewhere.event, event_organisation=elsewhere)
    detail = reverse("backoffice:profile-detail", args=[event.slug, "elsewhere"])
    assert orga_client.get(detail).status_code == 404
