"""Meeting requests through the API: the workflow's transitions, refusals as JSON errors,
acting only as oneself, filters and query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.meetings.models import MeetingRequest
from tests.factories import MeetingRequestFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def send(api, who="amy", **body):
    return api(who).post("/events/expo/meeting-requests", {"recipient": "ben", **body})


def test_a_delegate_sends_a_request_as_themselves(api, world):
    response = send(api, message="About your listing", priority=3)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["priority"] == 3
    assert body["sender"] == {
        "key": "amy",
        "name": "Amy Leung",
        "organisation": "law",
        "organisation_name": "Harbour Law",
    }
    assert body["recipient"]["key"] == "ben"
    stored = MeetingRequest.objects.get(key=body["key"])
    assert stored.sender == world.people["amy"] and stored.message == "About your listing"
    assert stored.changes.get().source == "api-token"


def test_the_whole_workflow_accept_then_cancel(api, world):
    key = send(api).json()["key"]
    accepted = api("ben").post(f"/events/expo/meeting-requests/{key}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["responded_at"] is not None
    cancelled = api("amy").post(f"/events/expo/meeting-requests/{key}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert list(
        MeetingRequest.objects.get(key=key).changes.values_list("from_status", "to_status")
    ) == [("", "pending"), ("pending", "accepted"), ("accepted", "cancelled")]


def test_declining_keeps_the_reason(api):
    key = send(api).json()["key"]
    response = api("ben").post(
        f"/events/expo/meeting-requests/{key}/decline", {"reason": "Not this year"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "declined"
    assert response.json()["decline_reason"] == "Not this year"


def test_declining_without_a_body_works(api):
    key = send(api).json()["key"]
    response = api("ben").client.post(
        f"/api/v1/events/expo/meeting-requests/{key}/decline",
        "",
        content_type="application/json",
        headers=api("ben").headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"


def test_a_sender_withdraws_a_pending_request(api):
    key = send(api).json()["key"]
    assert api("amy").post(f"/events/expo/meeting-requests/{key}/cancel").json()["status"] == (
        "cancelled"
    )


def test_asking_someone_who_asked_you_accepts_their_request(api):
    theirs = send(api, who="ben", recipient="amy").json()["key"]
    response = send(api)
    assert response.status_code == 200
    assert response.json()["key"] == theirs and response.json()["status"] == "accepted"


@pytest.mark.parametrize(
    ("actor", "action", "status", "code"),
    [
        ("amy", "accept", 403, "not_recipient"),
        ("amy", "decline", 403, "not_recipient"),
        ("ben", "cancel", 403, "not_sender"),
    ],
)
def test_only_the_right_side_may_answer(api, actor, action, status, code):
    key = send(api).json()["key"]
    response = api(actor).post(f"/events/expo/meeting-requests/{key}/{action}")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert MeetingRequest.objects.get(key=key).status == "pending"


def test_answering_twice_is_a_409(api):
    key = send(api).json()["key"]
    assert api("ben").post(f"/events/expo/meeting-requests/{key}/accept").status_code == 200
    again = api("ben").post(f"/events/expo/meeting-requests/{key}/decline")
    assert again.status_code == 409
    assert again.json()["code"] == "not_pending"
    assert "accepted" in again.json()["detail"].lower()


def test_a_second_request_to_the_same_person_is_refused(api):
    assert send(api).status_code == 201
    again = send(api)
    assert again.status_code == 409
    assert again.json()["code"] == "already_requested"


def test_a_colleague_is_refused_as_same_organisation(api):
    response = send(api, recipient="amy2")
    assert response.status_code == 422
    assert response.json()["code"] == "same_organisation"


def test_organiser_tokens_cannot_act_as_a_delegate(api):
    response = send(api, who="organiser")
    assert response.status_code == 403
    assert response.json()["code"] == "not_delegate"
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"priority": 5}, ["body", "payload", "priority"]),
        ({"priority": "high"}, ["body", "payload", "priority"]),
        ({"recipient": ""}, ["body", "payload", "recipient"]),
        ({"recipient": "nobody"}, ["body", "payload", "recipient"]),
        # A hidden organisation's delegate is as unknown as one who does not exist.
        ({"recipient": "cai"}, ["body", "payload", "recipient"]),
        ({"recipient": "eve"}, ["body", "payload", "recipient"]),
    ],
)
def test_invalid_bodies_are_422_with_the_field_path(api, body, loc):
    response = send(api, **body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    assert not MeetingRequest.objects.exists()


def test_a_missing_body_is_a_422(api):
    response = api("amy").client.post(
        "/api/v1/events/expo/meeting-requests",
        "",
        content_type="application/json",
        headers=api("amy").headers,
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_a_body_that_is_not_json_is_a_400_in_json(api):
    response = api("amy").client.post(
        "/api/v1/events/expo/meeting-requests",
        "{not json",
        content_type="application/json",
        headers=api("amy").headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert not MeetingRequest.objects.exists()


def test_delegates_list_their_own_requests_and_organisers_all(api, world):
    mine = send(api).json()["key"]
    to_me = send(api, who="ben", recipient="amy2").json()["key"]
    # Dan's organisation awaits review: unlisted, he may not ask anyone (it would name him).
    refused = send(api, who="dan")
    assert (refused.status_code, refused.json()["code"]) == (403, "unavailable")
    organiser = api("organiser").get("/events/expo/meeting-requests").json()
    assert organiser["count"] == 2
    ben = api("ben").get("/events/expo/meeting-requests").json()
    assert ben["count"] == 2  # sent one, received one
    amy = api("amy").get("/events/expo/meeting-requests").json()
    assert [r["key"] for r in amy["items"]] == [mine]
    # Someone else's request is not found, even by key.
    assert api("amy").get(f"/events/expo/meeting-requests/{to_me}").status_code == 404
    assert api("amy").post(f"/events/expo/meeting-requests/{to_me}/accept").status_code == 404


def test_requests_filter_by_status_direction_and_participant(api):
    first = send(api).json()["key"]
    second = send(api, who="ben", recipient="amy2").json()["key"]
    api("ben").post(f"/events/expo/meeting-requests/{first}/accept")

    def listed(who, **params):
        body = api(who).get("/events/expo/meeting-requests", **params).json()
        return sorted(r["key"] for r in body["items"])

    assert listed("ben", status="accepted") == [first]
    assert listed("ben", status="pending") == [second]
    assert listed("ben", direction="sent") == [second]
    assert listed("ben", direction="received") == [first]
    assert listed("organiser", participant="amy2") == [second]
    bad = api("ben").get("/events/expo/meeting-requests", status="maybe")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "status"]


def test_request_list_queries_do_not_grow_with_rows(api, world, django_assert_max_num_queries):
    for _ in range(15):
        MeetingRequestFactory(
            event=world.event,
            recipient=world.people["ben"],
            sender=ParticipantFactory(event=world.event),
            status="pending",
        )
    for who in ("organiser", "ben"):
        with django_assert_max_num_queries(5):
            body = api(who).get("/events/expo/meeting-requests").json()
        assert body["count"] == 15


def test_past_the_deadline_requests_read_as_expired(api, world):
    """Finding 5 through the API: a request unanswered at the deadline reads `expired`."""
    key = send(api).json()["key"]
    world.event.request_deadline = timezone.now() - dt.timedelta(seconds=1)
    world.event.save()
    listed = api("ben").get("/events/expo/meeting-requests", status="expired").json()
    assert [r["key"] for r in listed["items"]] == [key]
    assert listed["items"][0]["status"] == "expired"
    assert api("amy").get(f"/events/expo/meeting-requests/{key}").json()["status"] == "expired"
    assert api("ben").get("/events/expo/meeting-requests", status="pending").json()["count"] == 0
