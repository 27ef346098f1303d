"""Organiser teams with separate rights, confidential opportunities, and the audit log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from superconnector.api.domain.tokens import issue_token
from superconnector.directory.models import Opportunity, Participant
from superconnector.events.domain.access import add_organiser, event_rights
from superconnector.events.domain.teams import TeamRefused, delete_team
from superconnector.events.models import AuditEntry, Event, Team
from superconnector.exchange.importer import import_document
from superconnector.matchmaking.models import OpportunityMatch
from tests.factories import answer_consents

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document) -> Event:
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delegate(event, key, django_user_model) -> Client:
    participant = Participant.objects.select_related("person").get(event=event, key=key)
    user = django_user_model.objects.create_user(participant.person.email.lower(), "long-pw-1")
    participant.person.user = user
    participant.person.save()
    answer_consents(participant.person)
    return _client(user)


# --- teams ----------------------------------------------------------------------------------


def test_rights_are_the_union_of_a_members_teams(event, django_user_model):
    user = django_user_model.objects.create_user("two-hats@example.com", "long-pw-1")
    add_organiser(event, user, {"view"}, "Analysts")
    add_organiser(event, user, {"check_in"}, "Desk")
    assert event_rights(user, event) == {"view", "check_in"}
    client = _client(user)
    assert client.get(reverse("backoffice:checkin", args=[event.slug])).status_code == 200
    refused = client.get(reverse("backoffice:exports", args=[event.slug]))
    assert refused.status_code == 403 and "Export data" in refused.text
    # The subnav offers only what opens.
    page = client.get(reverse("backoffice:dashboard", args=[event.slug])).text
    assert reverse("backoffice:checkin", args=[event.slug]) in page
    assert reverse("backoffice:exports", args=[event.slug]) not in page


def test_a_viewer_reads_but_cannot_change(event, django_user_model):
    viewer = django_user_model.objects.create_user("viewer@example.com", "long-pw-1")
    add_organiser(event, viewer, {"view"}, "Analysts")
    client = _client(viewer)
    url = reverse("backoffice:event-edit", args=[event.slug])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    event.refresh_from_db()
    assert event.name != "Renamed"


def test_team_managers_add_people_and_rights(event, django_user_model):
    manager = django_user_model.objects.create_user("lead@example.com", "long-pw-1")
    add_organiser(event, manager)
    response = _client(manager).post(
        reverse("backoffice:teams", args=[event.slug]),
        {"name": "Desk", "can_check_in": "on", "members": "desk1@example.com\nDESK2@example.com"},
    )
    assert response.status_code == 302
    desk = Team.objects.get(event=event, name="Desk")
    assert desk.rights == {"check_in"}
    assert sorted(desk.members.values_list("email", flat=True)) == [
        "desk1@example.com",
        "desk2@example.com",
    ]
    entry = AuditEntry.objects.get(subject=f"team:{desk.pk}")
    assert entry.actor == manager and entry.detail["rights"] == ["check_in"]


def test_bad_member_lines_are_named(event, django_user_model):
    manager = django_user_model.objects.create_user("lead@example.com", "long-pw-1")
    add_organiser(event, manager)
    response = _client(manager).post(
        reverse("backoffice:teams", args=[event.slug]),
        {"name": "Desk", "members": "ok@example.com\nnot an address"},
    )
    assert response.status_code == 200 and "Line 2" in response.text
    assert not Team.objects.filter(name="Desk").exists()


def test_the_last_team_manager_cannot_be_removed(event, django_user_model):
    manager = django_user_model.objects.create_user("lead@example.com", "long-pw-1")
    team = add_organiser(event, manager)
    with pytest.raises(TeamRefused):
        delete_team(team)
    response = _client(manager).post(
        reverse("backoffice:team-edit", args=[event.slug, team.pk]),
        {"name": team.name, "can_view": "on", "members": "lead@example.com"},
    )
    assert response.status_code == 200 and "at least one member" in response.text
    assert Team.objects.get(pk=team.pk).can_teams


def test_only_team_managers_may_issue_team_tokens(event, django_user_model):
    from superconnector.api.domain.tokens import TokenRefused

    viewer = django_user_model.objects.create_user("viewer@example.com", "long-pw-1")
    team = add_organiser(event, viewer, {"view"}, "Analysts")
    with pytest.raises(TokenRefused):
        issue_token("crm", event=event, team=team, issued_by=viewer)


# --- confidential opportunities -------------------------------------------------------------


@pytest.fixture
def secret(event) -> Opportunity:
    """Zhiyuan AI's (p2, p4) confidential need."""
    opportunity = Opportunity.objects.filter(event=event, event_organisation__key="zhiyuan").first()
    opportunity.confidential = True
    opportunity.title = "Secret acquisition plan"
    opportunity.save()
    return opportunity


def _sees(client, event, opportunity) -> tuple[bool, bool]:
    directory = client.get(f"/events/{event.slug}/directory/?show=opportunities").text
    api = client.get(f"/api/v1/events/{event.slug}/opportunities/{opportunity.key}")
    return opportunity.title in directory, api.status_code == 200


def test_confidential_opportunities_only_for_organisers_owners_and_matched(
    event, secret, django_user_model
):
    amy = _delegate(event, "p1", django_user_model)  # Harbour Law
    peter = _delegate(event, "p3", django_user_model)  # Kowloon Bank
    zhang = _delegate(event, "p2", django_user_model)  # Zhiyuan AI, the owner
    assert _sees(amy, event, secret) == (False, False)
    assert _sees(peter, event, secret) == (False, False)
    assert _sees(zhang, event, secret) == (True, True)
    # Searching for its words does not reveal it either.
    found = amy.get(f"/events/{event.slug}/directory/?show=opportunities&q=Secret").text
    assert secret.title not in found
    # The organisers' matching pairs it with one of Harbour Law's offers: Amy may see it.
    offer = Opportunity.objects.filter(event=event, event_organisation__key="harbour-law").first()
    pair = (
        {"need": secret, "offer": offer}
        if secret.direction == "need"
        else {
            "need": offer,
            "offer": secret,
        }
    )
    OpportunityMatch.objects.create(event=event, score=0.9, **pair)
    assert _sees(amy, event, secret) == (True, True)
    assert _sees(peter, event, secret) == (False, False)
    organiser = django_user_model.objects.create_user("orga@example.com", "long-pw-1")
    add_organiser(event, organiser, {"view"}, "Analysts")
    assert (
        _client(organiser)
        .get(f"/api/v1/events/{event.slug}/opportunities/{secret.key}")
        .json()["confidential"]
    )


def test_delegates_mark_their_opportunities_confidential(event, django_user_model):
    zhang = _delegate(event, "p2", django_user_model)
    mine = Opportunity.objects.filter(event=event, event_organisation__key="zhiyuan").first()
    response = zhang.post(
        reverse("portal:opportunity-edit", args=[event.slug, mine.pk]),
        {
            "direction": mine.direction,
            "category": mine.category,
            "title": mine.title,
            "description": mine.description,
            "sectors": "",
            "regions": "",
            "language": mine.language,
            "confidential": "on",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.confidential


# --- the audit log --------------------------------------------------------------------------


def test_organiser_views_exports_and_changes_are_audited(event, django_user_model):
    organiser = django_user_model.objects.create_user("orga@example.com", "long-pw-1")
    add_organiser(event, organiser)
    client = _client(organiser)
    amy = Participant.objects.get(event=event, key="p1")
    client.get(reverse("backoffice:checkin", args=[event.slug]) + "?q=Amy")
    client.post(
        reverse("backoffice:checkin-action", args=[event.slug, amy.pk]), {"action": "check_in"}
    )
    client.get(reverse("backoffice:export", args=[event.slug, "participants", "csv"]))
    team = Team.objects.get(event=event)
    token = issue_token("crm", event=event, team=team, issued_by=organiser)[1]
    Client().get(
        f"/api/v1/events/{event.slug}/participants/p1",
        headers={"Authorization": f"Bearer {token}"},
    )
    log = [(e.action, e.subject) for e in AuditEntry.objects.order_by("pk")]
    assert log == [
        ("view", "participants"),
        ("change", "participant"),
        ("export", "export:participants"),
        ("view", "participant:p1"),
    ]
    first = AuditEntry.objects.order_by("pk").first()
    assert first.actor == organiser and first.event == event and first.detail["query"] == "Amy"


def test_delegates_reading_public_profiles_are_not_audited(event, django_user_model):
    amy = _delegate(event, "p1", django_user_model)
    amy.get(f"/api/v1/events/{event.slug}/participants")
    assert not AuditEntry.objects.exists()


def test_team_managers_read_the_audit_log_and_cannot_change_it(event, django_user_model):
    manager = django_user_model.objects.create_user("lead@example.com", "long-pw-1")
    add_organiser(event, manager)
    client = _client(manager)
    client.get(reverse("backoffice:export", args=[event.slug, "participants", "csv"]))
    page = client.get(reverse("backoffice:audit", args=[event.slug]))
    assert page.status_code == 200 and "export:participants" in page.text
    assert client.post(reverse("backoffice:audit", args=[event.slug])).status_code == 405
    assert AuditEntry.objects.count() == 1
