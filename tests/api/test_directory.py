"""Events, organisations, participants and opportunities: what each caller sees, filters,
pagination, the error shape, and a bounded number of queries per list."""

import pytest

from superconnector.api.domain.tokens import issue_token
from superconnector.directory.models import Opportunity
from tests.api.conftest import ApiClient
from tests.factories import (
    EventOrganisationFactory,
    MeetingRequestFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["items"]]


# --- events ----------------------------------------------------------------------------------


def test_a_token_lists_only_its_event(api):
    body = api("amy").get("/events").json()
    assert body["count"] == 1
    assert [e["slug"] for e in body["items"]] == ["expo"]


def test_event_detail_says_the_callers_role(api):
    organiser = api("organiser").get("/events/expo").json()
    assert organiser["role"] == "organiser" and organiser["participant"] is None
    assert organiser["slug"] == "expo" and organiser["timezone"] == "Asia/Hong_Kong"
    assert api("ben").get("/events/expo").json()["participant"] == "ben"


# --- organisations ---------------------------------------------------------------------------


def test_organisers_see_every_organisation_with_its_review_state(api):
    body = api("organiser").get("/events/expo/organisations").json()
    assert body["count"] == 4
    assert {o["key"]: o["review_status"] for o in body["items"]} == {
        "ai": "published",
        "bank": "hidden",
        "law": "published",
        "new": "pending",
    }
    law = next(o for o in body["items"] if o["key"] == "law")
    assert law["name"] == "Harbour Law" and law["kind"] == "enterprise"


def test_delegates_see_published_organisations_and_their_own(api):
    assert keys(api("amy").get("/events/expo/organisations")) == ["ai", "law"]
    # dan's organisation awaits review: he sees it, nobody else does.
    assert keys(api("dan").get("/events/expo/organisations")) == ["ai", "law", "new"]
    assert api("amy").get("/events/expo/organisations/bank").status_code == 404
    assert api("amy").get("/events/expo/organisations/new").status_code == 404
    assert api("dan").get("/events/expo/organisations/new").json()["key"] == "new"


def test_organisations_filter_by_kind_and_words(api):
    assert keys(api("amy").get("/events/expo/organisations", kind="startup")) == ["ai"]
    assert keys(api("amy").get("/events/expo/organisations", q="harbour")) == ["law"]
    assert keys(api("amy").get("/events/expo/organisations", region="beijing")) == ["ai"]
    # A place by any of its names finds it as stored (directory/labels.py).
    assert keys(api("amy").get("/events/expo/organisations", region="北京市")) == ["ai"]


def test_pagination_gives_count_limit_offset(api):
    first = api("organiser").get("/events/expo/organisations", limit=2).json()
    second = api("organiser").get("/events/expo/organisations", limit=2, offset=2).json()
    assert (first["count"], first["limit"], first["offset"]) == (4, 2, 0)
    assert [o["key"] for o in first["items"]] == ["ai", "bank"]
    assert [o["key"] for o in second["items"]] == ["law", "new"]
    assert second["offset"] == 2


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 1000}, ["query", "limit"]),
        ({"offset": -1}, ["query", "offset"]),
        ({"limit": "many"}, ["query", "limit"]),
        ({"kind": "pirate"}, ["query", "kind"]),
    ],
)
def test_bad_parameters_are_422_with_their_path(api, params, loc):
    response = api("amy").get("/events/expo/organisations", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [error["loc"] for error in body["detail"]] == [loc]
    assert body["detail"][0]["msg"]


def test_organisation_list_queries_do_not_grow_with_rows(api, world, django_assert_max_num_queries):
    for _ in range(15):
        EventOrganisationFactory(event=world.event)
    with django_assert_max_num_queries(5):
        body = api("organiser").get("/events/expo/organisations").json()
    assert body["count"] == 19


# --- participants ----------------------------------------------------------------------------


def test_organisers_see_everyone_with_contact_details(api):
    body = api("organiser").get("/events/expo/participants").json()
    assert body["count"] == 5
    ben = next(p for p in body["items"] if p["key"] == "ben")
    assert ben["email"] == "ben@example.com" and ben["phone"] == "+86 2"
    assert ben["organisation"] == "ai" and ben["organisation_name"] == "Zhiyuan AI"
    assert ben["absent"] is False


def test_delegates_see_public_profiles_without_others_contacts(api):
    response = api("amy").get("/events/expo/participants")
    assert keys(response) == ["amy", "amy2", "ben"]
    by_key = {p["key"]: p for p in response.json()["items"]}
    assert by_key["amy"]["email"] == "amy@example.com"  # her own
    assert by_key["ben"]["email"] is None and by_key["ben"]["phone"] is None
    assert by_key["amy2"]["email"] is None  # a colleague is not a meeting
    assert by_key["ben"]["name"] == "Ben Zhang" and by_key["ben"]["absent"] is None
    assert api("amy").get("/events/expo/participants/cai").status_code == 404


@pytest.mark.parametrize(("status", "shown"), [("accepted", True), ("pending", False)])
def test_an_accepted_meeting_shows_the_counterparts_contacts(api, world, status, shown):
    MeetingRequestFactory(
        event=world.event, sender=world.people["ben"], recipient=world.people["amy"], status=status
    )
    ben = api("amy").get("/events/expo/participants/ben").json()
    assert ben["email"] == ("ben@example.com" if shown else None)
    assert ben["phone"] == ("+86 2" if shown else None)
    amy = api("ben").get("/events/expo/participants/amy").json()
    assert amy["email"] == ("amy@example.com" if shown else None)


def test_participants_filter_by_organisation_role_and_words(api, world):
    assert keys(api("organiser").get("/events/expo/participants", organisation="law")) == [
        "amy",
        "amy2",
    ]
    assert keys(api("organiser").get("/events/expo/participants", q="zhang")) == ["ben"]
    world.people["ben"].role = "speaker"
    world.people["ben"].save()
    assert keys(api("amy").get("/events/expo/participants", role="speaker")) == ["ben"]
    # A hidden organisation's people stay hidden from a delegate, filter or not.
    assert keys(api("amy").get("/events/expo/participants", organisation="bank")) == []


@pytest.mark.parametrize("who", ["organiser", "amy"])
def test_participant_list_queries_do_not_grow_with_rows(
    api, world, who, django_assert_max_num_queries
):
    for _ in range(20):
        ParticipantFactory(event=world.event, event_organisation=world.orgs["ai"])
    with django_assert_max_num_queries(6):
        body = api(who).get("/events/expo/participants", limit=100).json()
    assert len(body["items"]) == (25 if who == "organiser" else 23)


# --- opportunities ---------------------------------------------------------------------------


def test_delegates_do_not_see_hidden_organisations_opportunities(api):
    assert keys(api("organiser").get("/events/expo/opportunities")) == [
        "o-bank",
        "o-need",
        "o-offer",
        "o-tech",
    ]
    assert keys(api("amy").get("/events/expo/opportunities")) == ["o-need", "o-offer", "o-tech"]
    assert api("amy").get("/events/expo/opportunities/o-bank").status_code == 404
    detail = api("amy").get("/events/expo/opportunities/o-need").json()
    assert detail["organisation"] == "ai" and detail["direction"] == "need"
    assert detail["title"] == "Listing counsel wanted"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"direction": "offer"}, ["o-offer", "o-tech"]),
        ({"direction": "need"}, ["o-need"]),
        ({"category": "technology"}, ["o-tech"]),
        ({"language": "zh-Hans"}, ["o-tech"]),
        ({"organisation": "law"}, ["o-offer"]),
        ({"q": "listing"}, ["o-need", "o-offer"]),
        ({"q": "listing counsel wanted"}, ["o-need"]),
        ({"q": "大模型"}, ["o-tech"]),
        ({"direction": "offer", "category": "professional_service"}, ["o-offer"]),
    ],
)
def test_opportunities_filter(api, params, expected):
    assert keys(api("amy").get("/events/expo/opportunities", **params)) == expected


def test_an_unknown_direction_is_a_422_with_the_allowed_values(api):
    response = api("amy").get("/events/expo/opportunities", direction="sideways")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "direction"]
    assert "offer" in error["msg"] and "need" in error["msg"]


def test_opportunity_list_queries_do_not_grow_with_rows(api, world, django_assert_max_num_queries):
    for n in range(20):
        link = EventOrganisationFactory(event=world.event)
        Opportunity.objects.create(
            event=world.event,
            event_organisation=link,
            key=f"extra-{n}",
            direction="offer",
            category="technology",
            title=f"Extra {n}",
            language="en",
        )
    with django_assert_max_num_queries(5):
        body = api("amy").get("/events/expo/opportunities", limit=100).json()
    assert body["count"] == 23


# --- contact details in bulk take the export right ---------------------------------------


def team_token(world, **rights) -> str:
    from superconnector.events.models import Team

    team = Team.objects.create(
        event=world.event, name="-".join(sorted(rights)) or "view", can_view=True, **rights
    )
    return issue_token("script", event=world.event, team=team, issued_by=world.organiser)[1]


def test_a_view_only_organiser_lists_participants_without_contact_details(world):
    viewer = ApiClient(team_token(world))
    body = viewer.get("/events/expo/participants").json()
    assert body["count"] == 5  # everyone, as before: only the contact details go
    assert {(p["email"], p["phone"]) for p in body["items"]} == {(None, None)}
    # One participant at a time, as on the back office's check-in desk, the view right does.
    ben = viewer.get("/events/expo/participants/ben").json()
    assert ben["email"] == "ben@example.com" and ben["phone"] == "+86 2"


def test_with_the_export_right_the_list_has_the_contact_details(world):
    exporter = ApiClient(team_token(world, can_export=True))
    items = exporter.get("/events/expo/participants").json()["items"]
    ben = next(p for p in items if p["key"] == "ben")
    assert ben["email"] == "ben@example.com" and ben["phone"] == "+86 2"
    assert all(p["email"] for p in items)


def test_a_view_only_organiser_signed_in_in_the_browser_gets_no_bulk_contacts(world, client):
    from superconnector.core.models import User
    from superconnector.events.domain.access import add_organiser

    user = User.objects.create_user("viewer@example.com", "pw")
    add_organiser(world.event, user, rights={"view"}, team_name="Viewers")
    client.force_login(user)
    items = ApiClient(client=client).get("/events/expo/participants").json()["items"]
    assert {p["email"] for p in items} == {None}


def test_the_openapi_schema_says_when_contact_details_are_left_out(api):
    schema = api().get("/openapi.json").json()
    email = schema["components"]["schemas"]["ParticipantOut"]["properties"]["email"]
    assert "export right" in email["description"]
