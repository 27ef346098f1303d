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
    # Typed in Chinese, kept as the sectors' codes: 知識產權 and ip are one (directory/labels.py).
    assert organisation.sectors == ["legal", "ip"]
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
    assert created.sectors == ["legaltech", "ai"]  # an unknown one kept, 人工智能 folded
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


# --- changes other events' organisers propose to my records (directory/domain/ownership.py) ---


@pytest.fixture
def other_event(event, document):
    """A second event whose list names Harbour Law (same website) in another region."""
    from superconnector.exchange.importer import import_document

    harbour = dict(document["organisations"][0], key="hl", region="Macau")
    import_document(
        {
            "format": "superconnector/v1",
            "event": dict(document["event"], slug="fair-2027", name="Fair 2027"),
            "organisations": [harbour],
        }
    )
    from superconnector.events.models import Event

    return Event.objects.get(slug="fair-2027")


def test_the_owner_sees_and_accepts_a_proposed_change(amy_client, event, other_event):
    from superconnector.directory.models import ProposedChange

    proposal = ProposedChange.objects.get(field="region")
    page = amy_client.get(f"/events/{event.slug}/profile/")
    assert "Changes proposed by the organisers of Fair 2027" in page.text
    assert "Macau" in page.text and "Hong Kong" in page.text
    response = amy_client.post(
        f"/events/{event.slug}/profile/proposals/{proposal.pk}/", {"decision": "accept"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Harbour Law LLP").region == "Macau"
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert "Changes proposed" not in amy_client.get(f"/events/{event.slug}/profile/").text


def test_the_owner_rejects_a_proposed_change(amy_client, event, other_event):
    from superconnector.directory.models import ProposedChange

    proposal = ProposedChange.objects.get(field="region")
    amy_client.post(
        f"/events/{event.slug}/profile/proposals/{proposal.pk}/", {"decision": "reject"}
    )
    assert Organisation.objects.get(name="Harbour Law LLP").region == "Hong Kong"
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_a_delegate_of_another_organisation_cannot_decide(client, account, event, other_event):
    from superconnector.directory.models import ProposedChange

    proposal = ProposedChange.objects.get(field="region")
    client.force_login(account("p3"))  # Peter Ho, Kowloon Bank
    response = client.post(
        f"/events/{event.slug}/profile/proposals/{proposal.pk}/", {"decision": "accept"}
    )
    assert response.status_code == 404
    assert Organisation.objects.get(name="Harbour Law LLP").region == "Hong Kong"
    assert "Changes proposed" not in client.get(f"/events/{event.slug}/profile/").text


def test_deciding_needs_the_csrf_token(amy, event, other_event):
    from django.test import Client

    from superconnector.directory.models import ProposedChange

    proposal = ProposedChange.objects.get(field="region")
    client = Client(enforce_csrf_checks=True)
    client.force_login(amy)
    response = client.post(
        f"/events/{event.slug}/profile/proposals/{proposal.pk}/", {"decision": "accept"}
    )
    assert response.status_code == 403
    assert Organisation.objects.get(name="Harbour Law LLP").region == "Hong Kong"


def test_the_owners_edit_applies_and_is_audited_in_every_event(amy_client, event, other_event):
    from superconnector.events.models import AuditEntry

    amy_client.post(
        f"/events/{event.slug}/profile/",
        {
            "name": "Harbour Law LLP",
            "kind": "service_provider",
            "region": "Hong Kong",
            "sectors": "legal, ip",
            "website": "https://www.harbour-law.example.com",
            "description": "Cross-border listings and IP.",
            "language": "en",
        },
    )
    harbour = Organisation.objects.get(name="Harbour Law LLP")
    assert harbour.description == "Cross-border listings and IP."
    for shown_by in (event, other_event):
        entry = AuditEntry.objects.get(event=shown_by, action="change", detail__field="description")
        assert entry.detail["new"] == "Cross-border listings and IP."
        assert entry.detail["acting_event"] == event.slug
