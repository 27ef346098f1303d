"""Insecure direct object references: guessing another person's or event's ids gets a 404
and changes nothing.

Delegate B is Li Na (p4, Zhiyuan AI); A is Amy Leung (p1, Harbour Law). Between them there
is no request and no meeting. The organiser of event X (bj-hk-2026) sends the ids of event
Y (a second event with its own session, import, team, run and participants).
"""

from __future__ import annotations

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from superconnector.api.domain.tokens import issue_token
from superconnector.backoffice.uploads import stage_import
from superconnector.directory.models import Opportunity, Participant
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event, MeetingSession, Team
from superconnector.exchange.importer import import_document
from superconnector.meetings.domain.requests import send_request
from superconnector.meetings.models import Meeting, MeetingOutcome, MeetingRequest, SchedulingRun
from superconnector.portal.domain.feeds import SALT, calendar_token
from tests.factories import ParticipantFactory, answer_consents

pytestmark = pytest.mark.django_db


def _account(django_user_model, participant: Participant):
    user = django_user_model.objects.create_user(participant.person.email.lower(), "long-pw-1")
    participant.person.user = user
    participant.person.save()
    answer_consents(participant.person)
    return user


@pytest.fixture
def x(document) -> Event:
    import_document(document)
    return Event.objects.get(slug="bj-hk-2026")


@pytest.fixture
def y(document) -> Event:
    document["event"]["slug"] = "sz-expo"
    import_document(document)
    return Event.objects.get(slug="sz-expo")


@pytest.fixture
def b_client(x, django_user_model) -> Client:
    li_na = Participant.objects.select_related("person").get(event=x, key="p4")
    client = Client()
    client.force_login(_account(django_user_model, li_na))
    return client


def amy(event: Event) -> Participant:
    return Participant.objects.select_related("person").get(event=event, key="p1")


# --- delegate B on delegate A's things ------------------------------------------------------


def test_b_cannot_edit_or_delete_as_opportunity(b_client, x):
    mine = Opportunity.objects.filter(event_organisation=amy(x).event_organisation).first()
    before = (mine.title, mine.description)
    edit = reverse("portal:opportunity-edit", args=[x.slug, mine.pk])
    assert b_client.get(edit).status_code == 404
    form = {"direction": "offer", "category": "technology", "title": "pwned", "language": "en"}
    assert b_client.post(edit, form).status_code == 404
    delete = reverse("portal:opportunity-delete", args=[x.slug, mine.pk])
    assert b_client.post(delete).status_code == 404
    mine.refresh_from_db()
    assert (mine.title, mine.description) == before


def test_b_editing_their_profile_never_touches_as_organisation(b_client, x):
    harbour = amy(x).event_organisation.organisation
    before = harbour.name
    form = {"name": "Zhiyuan AI", "kind": "startup", "region": "Beijing", "language": "en"}
    b_client.post(reverse("portal:profile", args=[x.slug]), {**form, "id": harbour.pk})
    harbour.refresh_from_db()
    assert harbour.name == before


def test_b_cannot_answer_or_cancel_requests_between_others(b_client, x):
    to_amy = MeetingRequest.objects.get(event=x, key="r3")  # p3 -> p1
    bank = Participant.objects.get(event=x, key="p3").event_organisation
    from_amy = send_request(amy(x), ParticipantFactory(event=x, event_organisation=bank))
    for name, request in [
        ("portal:request-accept", to_amy),
        ("portal:request-decline", to_amy),
        ("portal:request-cancel", from_amy),
    ]:
        assert b_client.post(reverse(name, args=[x.slug, request.pk])).status_code == 404
    assert MeetingRequest.objects.get(pk=to_amy.pk).status == to_amy.status
    assert MeetingRequest.objects.get(pk=from_amy.pk).status == from_amy.status


def test_b_cannot_record_an_outcome_of_as_meeting(b_client, x):
    meeting = Meeting.objects.get(request__key="r1")  # p2 <-> p1
    url = reverse("portal:outcome", args=[x.slug, meeting.pk])
    assert b_client.get(url).status_code == 404
    assert b_client.post(url, {"status": "agreement"}).status_code == 404
    assert not MeetingOutcome.objects.exists()


def test_b_cannot_read_as_agenda_feed_by_forging_or_moving_the_token(b_client, x, y):
    forged = signing.dumps([x.pk, amy(x).pk], salt="another-salt")
    assert b_client.get(reverse("portal:calendar", args=[x.slug, forged])).status_code == 404
    tampered = calendar_token(amy(x))[:-2] + "xx"
    assert b_client.get(reverse("portal:calendar", args=[x.slug, tampered])).status_code == 404
    # A real token of event Y's Amy opens nothing under event X, and the reverse.
    elsewhere = signing.dumps([y.pk, amy(y).pk], salt=SALT)
    assert Client().get(reverse("portal:calendar", args=[x.slug, elsewhere])).status_code == 404
    assert (
        Client().get(reverse("portal:calendar", args=[y.slug, calendar_token(amy(x))])).status_code
        == 404
    )


def test_b_gets_no_exports_or_back_office(b_client, x):
    for url in [
        reverse("backoffice:export", args=[x.slug, "participants", "csv"]),
        reverse("backoffice:checkin-action", args=[x.slug, amy(x).pk]),
        reverse("backoffice:badges", args=[x.slug]) + f"?participant={amy(x).pk}",
    ]:
        assert b_client.get(url).status_code in (404, 405)
        assert b_client.post(url, {"action": "absent"}).status_code == 404
    assert not Participant.objects.get(pk=amy(x).pk).absent


def test_b_through_the_api_gets_404_for_others_requests(x):
    li_na = Participant.objects.get(event=x, key="p4")
    headers = {"Authorization": f"Bearer {issue_token('b', event=x, participant=li_na)[1]}"}
    base = f"/api/v1/events/{x.slug}/meeting-requests/r3"
    assert Client().get(base, headers=headers).status_code == 404
    for action in ("accept", "decline", "cancel"):
        response = Client().post(
            f"{base}/{action}", {}, content_type="application/json", headers=headers
        )
        assert response.status_code == 404, action
    assert MeetingRequest.objects.get(event=x, key="r3").status == "accepted"
    # Amy's contact details stay hidden from someone she has not agreed to meet.
    amy_row = Client().get(f"/api/v1/events/{x.slug}/participants/p1", headers=headers).json()
    assert amy_row["email"] is None and amy_row["phone"] is None


# --- the organiser of X with Y's ids --------------------------------------------------------


@pytest.fixture
def x_organiser(x, y, django_user_model) -> Client:
    user = django_user_model.objects.create_user("orga-x@example.com", "long-pw-1")
    add_organiser(x, user)
    client = Client()
    client.force_login(user)
    return client


def test_organiser_of_x_sending_ys_ids_gets_404_and_changes_nothing(x_organiser, x, y):
    session = MeetingSession.objects.get(event=y, key="am")
    staged = stage_import(y, None, "y.csv", b"name,email\nA,a@x.org\n")
    team = add_organiser(y, _other_user(y), team_name="Y team")
    run = SchedulingRun.objects.create(event=y, status="done")
    y_amy = amy(y)
    posts = {
        reverse("backoffice:session-edit", args=[x.slug, session.pk]): {"key": "hacked"},
        reverse("backoffice:session-delete", args=[x.slug, session.pk]): {},
        reverse("backoffice:import-apply", args=[x.slug, staged.pk]): {},
        reverse("backoffice:checkin-action", args=[x.slug, y_amy.pk]): {"action": "absent"},
        reverse("backoffice:team-edit", args=[x.slug, team.pk]): {
            "name": "mine",
            "can_teams": "on",
        },
        reverse("backoffice:team-delete", args=[x.slug, team.pk]): {},
    }
    gets = [
        reverse("backoffice:session-edit", args=[x.slug, session.pk]),
        reverse("backoffice:import-detail", args=[x.slug, staged.pk]),
        reverse("backoffice:scheduling-progress", args=[x.slug, run.pk]),
        reverse("backoffice:team-edit", args=[x.slug, team.pk]),
        reverse("backoffice:badges", args=[x.slug]) + f"?participant={y_amy.pk}",
    ]
    for url in gets[:-1]:
        assert x_organiser.get(url).status_code == 404, url
    # Badges filter by the event: Y's delegate id yields an empty sheet, not Y's badge.
    assert y_amy.person.name.encode() not in x_organiser.get(gets[-1]).content
    for url, data in posts.items():
        assert x_organiser.post(url, data).status_code == 404, url
    session.refresh_from_db()
    staged.refresh_from_db()
    assert session.key == "am" and staged.applied_at is None
    assert Team.objects.get(pk=team.pk).name == "Y team"
    assert not Participant.objects.get(pk=y_amy.pk).absent
    # Y's own back office stays closed to X's organiser.
    assert x_organiser.get(reverse("backoffice:dashboard", args=[y.slug])).status_code == 404


def test_team_token_of_x_reads_only_xs_data(x, y):
    team = add_organiser(x, _other_user(x))
    headers = {"Authorization": f"Bearer {issue_token('x', event=x, team=team)[1]}"}
    assert Client().get(f"/api/v1/events/{y.slug}", headers=headers).status_code == 404
    assert Client().get(f"/api/v1/events/{y.slug}/participants", headers=headers).status_code == 404
    ParticipantFactory(event=y, key="only-in-y")
    listed = Client().get(f"/api/v1/events/{x.slug}/participants", headers=headers).json()
    assert {row["key"] for row in listed["items"]} == set(
        Participant.objects.filter(event=x).values_list("key", flat=True)
    )
    url = f"/api/v1/events/{x.slug}/participants/only-in-y"
    assert Client().get(url, headers=headers).status_code == 404
    events = Client().get("/api/v1/events", headers=headers).json()
    assert [e["slug"] for e in events["items"]] == [x.slug]


def _other_user(event: Event):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(f"team-{event.slug}@example.com", "long-pw-1")
