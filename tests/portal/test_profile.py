"""Editing the organisation's profile and opportunities, in Chinese too."""

import pytest

from superconnector.directory.models import Opportunity, Organisation

pytestmark = pytest.mark.django_db


def test_profile_lists_own_opportunities(amy_client, event):
    response = amy_client.get(f"/events/{event.slug}/profile/")
    assert response.status_code == 200
    assert "Harbour Law LLP" in response.text
    assert [o.key for o in response.context["opportunities"]] == ["o2"]


def test_edit_profile_in_traditional_chinese(amy_client, event):
    response = amy_client.post(
        f"/events/{event.slug}/profile/",
        {
            "name": "Harbour Law LLP",
            "name_zh": "海港律師事務所",
            "kind": "service_provider",
            "region": "Hong Kong",
            "sectors": "法律、知識產權, ip",
            "website": "harbour-law.example.com",
            "description": "跨境上市及知識產權法律服務。",
            "language": "",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Harbour Law LLP")
    assert organisation.name_zh == "海港律師事務所"
    assert organisation.sectors == ["法律", "知識產權", "ip"]
    assert organisation.language == "zh-Hant"  # detected: nothing was declared
    assert organisation.website == "https://harbour-law.example.com"
    page = amy_client.get(response["Location"])
    assert "海港律師事務所" in page.text and "繁體中文" in page.text


def test_create_opportunity_keeps_the_original_language(amy_client, event):
    response = amy_client.post(
        f"/events/{event.slug}/profile/opportunities/new/",
        {
            "direction": "need",
            "category": "investment",
            "title": "尋找天使投資",
            "description": "為人工智能法律科技項目募集種子輪資金。",
            "sectors": "legaltech，人工智能",
            "regions": "Hong Kong; Greater Bay Area",
            "language": "",
        },
    )
    assert response.status_code == 302
    created = Opportunity.objects.get(title="尋找天使投資")
    assert created.language == "zh-Hant"
    assert created.event == event and created.event_organisation.key == "harbour-law"
    assert created.key.startswith("harbour-law-")
    assert created.sectors == ["legaltech", "人工智能"]
    assert created.regions == ["Hong Kong", "Greater Bay Area"]
    # Declared language wins over detection.
    amy_client.post(
        f"/events/{event.slug}/profile/opportunities/{created.pk}/",
        {
            "direction": "need",
            "category": "investment",
            "title": "寻找天使投资 (seed)",
            "description": "",
            "sectors": "",
            "regions": "",
            "language": "zh-Hans",
        },
    )
    created.refresh_from_db()
    assert (created.title, created.language, created.sectors) == (
        "寻找天使投资 (seed)",
        "zh-Hans",
        [],
    )


def test_invalid_opportunity_shows_errors(amy_client, event):
    response = amy_client.post(
        f"/events/{event.slug}/profile/opportunities/new/",
        {"direction": "sideways", "category": "investment", "title": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"direction", "title"}
    assert Opportunity.objects.count() == 3


def test_delete_own_but_not_others_opportunities(amy_client, event):
    own, theirs = Opportunity.objects.get(key="o2"), Opportunity.objects.get(key="o1")
    assert (
        amy_client.get(f"/events/{event.slug}/profile/opportunities/{theirs.pk}/").status_code
        == 404
    )
    assert (
        amy_client.post(
            f"/events/{event.slug}/profile/opportunities/{theirs.pk}/delete/"
        ).status_code
        == 404
    )
    response = amy_client.post(f"/events/{event.slug}/profile/opportunities/{own.pk}/delete/")
    assert response.status_code == 302
    assert set(Opportunity.objects.values_list("key", flat=True)) == {"o1", "o3"}
