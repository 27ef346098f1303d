"""Regressions for what fuzzing the API (tests/fuzz) found: input that crashed it (500) or
that it accepted although invalid, and error responses its schema did not declare.

Self-contained (its own small event), so that it does not depend on the shared `world`.
"""

import json

import pytest
from django.test import Client

from superconnector.api.domain.tokens import issue_token
from superconnector.api.pagination import MAX_OFFSET
from superconnector.meetings.models import MeetingRequest
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingRequestFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "/events",
    "/events/expo/organisations",
    "/events/expo/participants",
    "/events/expo/opportunities",
    "/events/expo/meeting-requests",
    "/events/expo/meetings",
]


@pytest.fixture
def amy():
    """A client with the token of amy, a delegate of "expo" whom ben asked for a meeting."""
    event = EventFactory(slug="expo")
    amy = ParticipantFactory(
        event=event, key="amy", event_organisation=EventOrganisationFactory(event=event)
    )
    ben = ParticipantFactory(
        event=event, key="ben", event_organisation=EventOrganisationFactory(event=event)
    )
    MeetingRequestFactory(event=event, key="r1", sender=ben, recipient=amy, status="pending")
    token = issue_token("amy", event=event, participant=amy)[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    client.get_api = lambda path, **params: client.get(f"/api/v1{path}", params)
    client.post_api = lambda path, body: client.post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json"
    )
    return client


def assert_invalid(response, loc: list, message: str | None = None) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"][0]["loc"] == loc
    if message:
        assert body["detail"][0]["msg"] == message


# --- offsets: beyond a 64-bit integer, the database failed (500) ------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_too_large_for_the_database_is_invalid(amy, path):
    assert_invalid(amy.get_api(path, offset=2**63), ["query", "offset"])
    assert_invalid(amy.get_api(path, offset=MAX_OFFSET + 1), ["query", "offset"])


@pytest.mark.parametrize("path", LISTS)
def test_the_largest_offset_answers_an_empty_page(amy, path):
    response = amy.get_api(path, offset=MAX_OFFSET)
    assert response.status_code == 200, response.content
    assert response.json()["items"] == [] and response.json()["offset"] == MAX_OFFSET


# --- NUL characters: PostgreSQL cannot compare or store them (500) ----------------------------

NUL = "Null characters are not allowed"


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/events/ex\x00po", {}, ["path", "slug"]),
        ("/events/expo/participants/a\x00my", {}, ["path", "key"]),
        ("/events/expo/meeting-requests/r\x001", {}, ["path", "key"]),
        ("/events/expo/organisations", {"region": "Hong\x00Kong"}, ["query", "region"]),
        ("/events/expo/participants", {"q": "\x00"}, ["query", "q"]),
        ("/events/expo/opportunities", {"organisation": "a\x00"}, ["query", "organisation"]),
        ("/events/expo/meeting-requests", {"participant": "\x00"}, ["query", "participant"]),
        ("/events/expo/meetings", {"participant": "ben\x00"}, ["query", "participant"]),
    ],
)
def test_null_characters_in_paths_and_filters_are_invalid(amy, path, params, loc):
    assert_invalid(amy.get_api(path, **params), loc, NUL)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"recipient": "ben\x00"}, "recipient"), ({"recipient": "ben", "message": "\x00"}, "message")],
)
def test_null_characters_in_a_new_request_are_invalid(amy, body, field):
    assert_invalid(amy.post_api("/events/expo/meeting-requests", body), ["body", "payload", field])
    assert MeetingRequest.objects.count() == 1


def test_null_characters_in_a_reason_for_declining_are_invalid(amy):
    response = amy.post_api("/events/expo/meeting-requests/r1/decline", {"reason": "no\x00"})
    assert_invalid(response, ["body", "payload", "reason"], NUL)
    assert MeetingRequest.objects.get(key="r1").status == "pending"


# --- bodies: a list or a number passed for an object whose fields have defaults ---------------


@pytest.mark.parametrize("body", [[], [{"reason": "x"}], 1, "no", True])
def test_declining_with_a_body_that_is_not_an_object_is_invalid(amy, body):
    response = amy.post_api("/events/expo/meeting-requests/r1/decline", body)
    assert_invalid(response, ["body", "payload"])
    assert MeetingRequest.objects.get(key="r1").status == "pending"


@pytest.mark.parametrize("body", ["", "null"])
def test_declining_without_a_body_still_works(amy, body):
    response = amy.post(
        "/api/v1/events/expo/meeting-requests/r1/decline", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"


@pytest.mark.parametrize("body", [[{"recipient": "ben"}], "ben"])
def test_a_new_request_must_be_an_object(amy, body):
    assert_invalid(amy.post_api("/events/expo/meeting-requests", body), ["body", "payload"])


# --- dates: a number was read as a Unix time --------------------------------------------------


@pytest.mark.parametrize("date", ["0", "1765152000", "2026-12-08T00:00:00", "8 Dec 2026"])
def test_a_meeting_date_must_be_written_as_an_iso_date(amy, date):
    assert_invalid(amy.get_api("/events/expo/meetings", date=date), ["query", "date"])


def test_an_iso_meeting_date_is_accepted(amy):
    assert amy.get_api("/events/expo/meetings", date="2026-12-08").status_code == 200


# --- the schema declares every error the API answers ------------------------------------------


def test_every_operation_declares_its_error_responses():
    schema = Client().get("/api/v1/openapi.json").json()
    refs = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            declared = set(responses)
            expected = {"401", "422"} | ({"404"} if "{slug}" in path else set())
            if method == "post":
                expected |= {"403", "409"}
            assert expected <= declared, (method, path, declared)
            for status, response in responses.items():
                if status.startswith("2"):
                    continue
                refs[status] = response["content"]["application/json"]["schema"]["$ref"]
    assert refs.pop("422") == "#/components/schemas/InvalidOut"
    assert set(refs.values()) == {"#/components/schemas/ErrorOut"}
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail", "code"]
