"""Meetings, the stored schedule and recommendations through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.directory.models import Opportunity
from superconnector.matchmaking.models import OpportunityMatch, OrganisationMatch
from superconnector.meetings.models import Meeting, MeetingSeat, SchedulingRun
from tests.factories import MeetingRequestFactory, MeetingSessionFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def place(request, slot, table="T1"):
    meeting = Meeting.objects.create(event=request.event, request=request, slot=slot, table=table)
    for participant in (request.sender, request.recipient):
        MeetingSeat.objects.create(meeting=meeting, participant=participant, slot=slot)
    return meeting


@pytest.fixture
def schedule(world):
    session = MeetingSessionFactory(event=world.event, key="am", location="Hall A")
    slots = list(session.slots.order_by("index"))
    p = world.people
    amy_ben = MeetingRequestFactory(
        event=world.event, key="r1", sender=p["amy"], recipient=p["ben"]
    )
    amy2_ben = MeetingRequestFactory(
        event=world.event, key="r2", sender=p["amy2"], recipient=p["ben"]
    )
    MeetingRequestFactory(event=world.event, key="r3", sender=p["amy2"], recipient=p["dan"])
    place(amy_ben, slots[0], "T1")
    place(amy2_ben, slots[1], "T2")
    return slots


def requests_of(body) -> list[str]:
    return [m["request"] for m in body["items"]]


def test_organisers_see_every_meeting_with_local_times(api, schedule):
    body = api("organiser").get("/events/expo/meetings").json()
    assert body["count"] == 2 and requests_of(body) == ["r1", "r2"]
    first = body["items"][0]
    assert (first["date"], first["start"], first["end"]) == ("2026-12-08", "09:00", "09:20")
    assert first["table"] == "T1" and first["session"] == "am" and first["location"] == "Hall A"
    assert [p["key"] for p in first["participants"]] == ["amy", "ben"]


def test_delegates_see_their_own_meetings_once_published(api, world, schedule):
    assert api("amy").get("/events/expo/meetings").json()["count"] == 0
    world.event.schedule_published_at = timezone.now()
    world.event.save()
    assert requests_of(api("amy").get("/events/expo/meetings").json()) == ["r1"]
    assert requests_of(api("ben").get("/events/expo/meetings").json()) == ["r1", "r2"]


def test_meetings_filter_by_participant_and_date(api, schedule):
    assert requests_of(
        api("organiser").get("/events/expo/meetings", participant="amy2").json()
    ) == ["r2"]
    assert api("organiser").get("/events/expo/meetings", date="2026-12-09").json()["count"] == 0
    bad = api("organiser").get("/events/expo/meetings", date="tomorrow")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "date"]


def test_cancelling_a_meeting_frees_it_from_the_list(api, schedule):
    assert api("ben").post("/events/expo/meeting-requests/r1/cancel").status_code == 200
    assert requests_of(api("organiser").get("/events/expo/meetings").json()) == ["r2"]


def test_meeting_list_queries_do_not_grow_with_rows(
    api, world, schedule, django_assert_max_num_queries
):
    for slot in schedule[2:]:
        for table in ("T1", "T2"):
            request = MeetingRequestFactory(
                event=world.event,
                sender=ParticipantFactory(event=world.event),
                recipient=ParticipantFactory(event=world.event),
            )
            place(request, slot, table)
    with django_assert_max_num_queries(5):
        body = api("organiser").get("/events/expo/meetings").json()
    assert body["count"] == 2 + 2 * len(schedule[2:]) > 2


def test_the_schedule_document_comes_from_the_stored_schedule(api, world, schedule):
    SchedulingRun.objects.create(
        event=world.event,
        status="done",
        stats={
            "upper_bound": 3,
            "idle_gaps": 0,
            "solver": "cpsat",
            "optimal": True,
            "seconds": 1.5,
        },
    )
    body = api("organiser").get("/events/expo/schedule").json()
    assert body["meetings"][0] == {
        "request": "r1",
        "participants": ["amy", "ben"],
        "date": "2026-12-08",
        "start": "09:00",
        "end": "09:20",
        "table": "T1",
    }
    assert [u["request"] for u in body["unscheduled"]] == ["r3"]
    assert body["stats"] == {
        "requested": 3,
        "scheduled": 2,
        "upper_bound": 3,
        "idle_gaps": 0,
        "solver": "cpsat",
        "optimal": True,
        "seconds": 1.5,
    }
    assert body["published_at"] is None


def test_the_schedule_without_a_run_has_no_bound(api, schedule):
    stats = api("organiser").get("/events/expo/schedule").json()["stats"]
    assert stats["upper_bound"] is None and stats["optimal"] is False and stats["scheduled"] == 2


def test_delegates_may_not_read_the_whole_schedule(api, schedule):
    response = api("amy").get("/events/expo/schedule")
    assert response.status_code == 403
    assert response.json()["code"] == "not_organiser"


# --- recommendations -------------------------------------------------------------------------


@pytest.fixture
def matches(world):
    by_key = {o.key: o for o in Opportunity.objects.filter(event=world.event)}
    rows = [
        ("o-need", "o-offer", 0.9, 1, 1),
        ("o-need", "o-bank", 0.5, 2, 1),  # the bank is hidden from delegates
    ]
    for need, offer, score, rank_need, rank_offer in rows:
        OpportunityMatch.objects.create(
            event=world.event,
            need=by_key[need],
            offer=by_key[offer],
            score=score,
            rank_for_need=rank_need,
            rank_for_offer=rank_offer,
            reasons_for_need=[{"code": "matched_terms", "values": {"terms": offer}}],
            reasons_for_offer=[{"code": "matched_terms", "values": {"terms": need}}],
        )
    orgs = world.orgs
    for organisation, partner, rank in [("ai", "law", 1), ("ai", "bank", 2), ("law", "ai", 1)]:
        OrganisationMatch.objects.create(
            event=world.event,
            organisation=orgs[organisation],
            partner=orgs[partner],
            score=1.0 / rank,
            rank=rank,
            reasons=[{"code": "shared_sectors", "values": {"sectors": "legal"}}],
        )


def test_organisers_get_the_whole_recommendation_document(api, matches):
    body = api("organiser").get("/events/expo/recommendations").json()
    assert [r["opportunity"] for r in body["needs"]["o-need"]] == ["o-offer", "o-bank"]
    assert body["needs"]["o-need"][0] == {
        "opportunity": "o-offer",
        "score": 0.9,
        "reasons": ["Matched terms: o-offer"],
    }
    assert [r["opportunity"] for r in body["offers"]["o-offer"]] == ["o-need"]
    assert set(body["organisations"]) == {"ai", "bank", "law", "new"}
    assert api("organiser").get("/events/expo/recommendations", top=1).json()["needs"][
        "o-need"
    ] == [{"opportunity": "o-offer", "score": 0.9, "reasons": ["Matched terms: o-offer"]}]


def test_delegates_get_their_organisations_recommendations_only(api, matches):
    ben = api("ben").get("/events/expo/recommendations").json()
    assert set(ben["needs"]) == {"o-need"} and set(ben["offers"]) == {"o-tech"}
    assert [r["opportunity"] for r in ben["needs"]["o-need"]] == ["o-offer"]
    assert [r["organisation"] for r in ben["organisations"]["ai"]] == ["law"]
    assert list(ben["organisations"]) == ["ai"]
    amy = api("amy").get("/events/expo/recommendations").json()
    assert amy["needs"] == {} and [r["opportunity"] for r in amy["offers"]["o-offer"]] == ["o-need"]


@pytest.mark.parametrize("top", [0, 51, "ten"])
def test_top_is_validated(api, top):
    response = api("amy").get("/events/expo/recommendations", top=top)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "top"]


def test_recommendation_queries_are_bounded(api, matches, django_assert_max_num_queries):
    # The delegate's people to meet add four (suggestions, colleagues' and own requests,
    # the linked opportunities), whatever the list's length.
    with django_assert_max_num_queries(12):
        assert api("ben").get("/events/expo/recommendations").status_code == 200
    with django_assert_max_num_queries(8):
        assert api("organiser").get("/events/expo/recommendations").status_code == 200


def test_dates_are_local_to_the_event(api, world, schedule):
    # 09:00 in Hong Kong is 01:00 UTC: the date and time shown are the local ones.
    first = api("organiser").get("/events/expo/meetings").json()["items"][0]
    assert dt.datetime.fromisoformat(first["starts_at"]).astimezone(dt.UTC).hour == 1
    assert first["start"] == "09:00"


def test_recommendation_reasons_come_in_the_callers_language(api, matches):
    client = api("organiser")
    client.headers["Accept-Language"] = "zh-hans"
    body = client.get("/events/expo/recommendations").json()
    (reason,) = body["needs"]["o-need"][0]["reasons"]
    assert reason != "Matched terms: o-offer"
    assert reason.endswith("o-offer")  # the matched term itself stays as written
