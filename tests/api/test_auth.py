"""Authentication and event scoping for every endpoint: no credentials is 401, another
event is 404, revoked or orphaned tokens stop working, sessions need CSRF to write."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from superconnector.api.domain.tokens import hash_token, issue_token, revoke_token, token_for
from superconnector.api.models import ApiToken
from superconnector.events.models import Team
from superconnector.meetings.models import MeetingRequest
from tests.api.conftest import ApiClient
from tests.factories import MeetingRequestFactory

pytestmark = pytest.mark.django_db

READS = [
    "/events",
    "/events/{slug}",
    "/events/{slug}/organisations",
    "/events/{slug}/organisations/law",
    "/events/{slug}/participants",
    "/events/{slug}/participants/amy",
    "/events/{slug}/opportunities",
    "/events/{slug}/opportunities/o-offer",
    "/events/{slug}/recommendations",
    "/events/{slug}/meeting-requests",
    "/events/{slug}/meeting-requests/r-x",
    "/events/{slug}/meetings",
    "/events/{slug}/schedule",
]
WRITES = [
    "/events/{slug}/meeting-requests",
    "/events/{slug}/meeting-requests/r-x/accept",
    "/events/{slug}/meeting-requests/r-x/decline",
    "/events/{slug}/meeting-requests/r-x/cancel",
]


@pytest.mark.parametrize("path", READS)
def test_reading_without_credentials_is_401_json(api, path):
    response = api().get(path.format(slug="expo"))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", WRITES)
def test_writing_without_credentials_is_401_not_a_csrf_error(api, path):
    response = api().post(path.format(slug="expo"), {"recipient": "ben"})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", [p for p in READS if "{slug}" in p])
@pytest.mark.parametrize("who", ["organiser", "amy"])
def test_another_events_data_is_404(api, world, path, who):
    # The request exists in the other event, so a 404 here is the scoping, not a missing key.
    MeetingRequestFactory(event=world.other, key="r-x")
    response = api(who).get(path.format(slug="other-expo"))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("path", WRITES)
def test_acting_in_another_event_is_404_and_changes_nothing(api, world, path):
    request = MeetingRequestFactory(event=world.other, key="r-x", status="pending")
    response = api("eve").post(path.format(slug="expo"), {"recipient": "ben"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert not MeetingRequest.objects.filter(event=world.event).exists()


def test_unknown_event_is_404_like_a_foreign_one(api):
    assert api("organiser").get("/events/nope").status_code == 404


@pytest.mark.parametrize(
    "header", ["Bearer sc_not-a-token", "Bearer ", "Token whatever", "Basic YTpi"]
)
def test_a_bad_token_is_401(world, header):
    response = Client().get("/api/v1/events/expo", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_token_stops_working(api, world):
    token = ApiToken.objects.get(name="amy")
    assert api("amy").get("/events/expo").status_code == 200
    revoke_token(token)
    assert api("amy").get("/events/expo").status_code == 401


def test_a_team_token_belongs_to_the_team_not_to_its_issuer(api, world):
    team = Team.objects.get(event=world.event)
    team.members.remove(world.organiser)
    assert api("organiser").get("/events/expo").status_code == 200
    team.delete()
    assert api("organiser").get("/events/expo").status_code == 401


def test_a_team_token_has_its_teams_rights_only(api, world):
    Team.objects.filter(event=world.event).update(can_view=False, can_check_in=True)
    response = api("organiser").get("/events/expo/schedule")
    assert response.status_code == 403 and response.json()["code"] == "not_organiser"
    assert api("organiser").get("/events/expo").json()["rights"] == [
        "check_in",
        "edit",
        "export",
        "schedule",
        "teams",
    ]


def test_tokens_are_stored_hashed_and_record_their_use(world):
    raw = world.tokens["amy"]
    token = ApiToken.objects.get(name="amy")
    assert token.token_hash == hash_token(raw) != raw
    assert raw.startswith(token.prefix) and len(raw) > 40
    assert not ApiToken.objects.filter(token_hash__contains=raw).exists()
    assert token.last_used_at is None
    assert token_for(raw).pk == token.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_issuing_refuses_a_user_who_is_not_organiser(world):
    from superconnector.api.domain.tokens import TokenRefused

    with pytest.raises(TokenRefused):
        issue_token("x", event=world.other, team=Team.objects.get(event=world.event))
    with pytest.raises(TokenRefused):
        team = Team.objects.create(event=world.other, name="desk", can_check_in=True)
        issue_token("x", event=world.other, team=team, issued_by=world.organiser)
    with pytest.raises(TokenRefused):
        issue_token("x", event=world.other, participant=world.people["amy"])


def test_a_signed_in_delegate_reads_their_event_and_not_others(world):
    amy = world.people["amy"]
    user = _user_for(amy)
    client = ApiClient(client=Client())
    client.client.force_login(user)
    detail = client.get("/events/expo").json()
    assert detail["role"] == "delegate" and detail["participant"] == "amy"
    assert client.get("/events/other-expo").status_code == 404
    assert [e["slug"] for e in client.get("/events").json()["items"]] == ["expo"]


def test_a_signed_in_organiser_is_organiser(world):
    client = ApiClient(client=Client())
    client.client.force_login(world.organiser)
    detail = client.get("/events/expo").json()
    assert detail["role"] == "organiser" and detail["participant"] is None


def test_session_writes_need_the_csrf_token(world):
    _user_for(world.people["amy"])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.people["amy"].person.user)
    client = ApiClient(client=browser)
    refused = client.post("/events/expo/meeting-requests", {"recipient": "ben"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert not MeetingRequest.objects.exists()
    browser.get("/api/v1/docs")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    client.headers = {"X-CSRFToken": csrf}
    made = client.post("/events/expo/meeting-requests", {"recipient": "ben"})
    assert made.status_code == 201, made.content
    request = MeetingRequest.objects.get()
    assert request.changes.get().actor == world.people["amy"].person.user
    assert request.changes.get().source == "api"


def test_token_writes_need_no_csrf(world):
    client = ApiClient(world.tokens["amy"], client=Client(enforce_csrf_checks=True))
    assert client.post("/events/expo/meeting-requests", {"recipient": "ben"}).status_code == 201


def _user_for(participant):
    from superconnector.core.models import User

    user = User.objects.create_user(participant.person.email, "pw")
    participant.person.user = user
    participant.person.save()
    return user


# --- the management command ------------------------------------------------------------------


def test_command_creates_a_team_token_that_works(world, capsys):
    call_command("api_token", "create", "--event", "expo", "--team", "Organisers")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("sc_")
    assert ApiClient(raw).get("/events/expo").json()["role"] == "organiser"


def test_command_creates_a_delegate_token(world, capsys):
    call_command("api_token", "create", "--event", "expo", "--participant", "ben", "--name", "CRM")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(token_hash=hash_token(raw)).name == "CRM"
    assert ApiClient(raw).get("/events/expo").json()["participant"] == "ben"


@pytest.mark.parametrize(
    "args",
    [
        ["--event", "nope", "--team", "Organisers"],
        ["--event", "other-expo", "--team", "Organisers"],
        ["--event", "expo", "--team", "Nobody"],
        ["--event", "expo", "--participant", "eve"],
    ],
)
def test_command_refuses_what_it_cannot_issue(world, args):
    before = ApiToken.objects.count()
    with pytest.raises(CommandError):
        call_command("api_token", "create", *args)
    assert ApiToken.objects.count() == before


def test_command_lists_and_revokes(world, capsys):
    token = ApiToken.objects.get(name="ben")
    call_command("api_token", "list", "--event", "expo")
    listing = capsys.readouterr().out
    assert token.prefix in listing and world.tokens["ben"] not in listing
    call_command("api_token", "revoke", world.tokens["ben"][:20])
    token.refresh_from_db()
    assert token.revoked_at is not None
