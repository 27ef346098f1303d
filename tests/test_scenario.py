"""The scenario builder makes one coherent event world (tests/scenario.py)."""

import pytest
from django.test import Client

from superconnector.meetings.models import MeetingSeat
from tests.scenario import Scenario

pytestmark = pytest.mark.django_db


def test_a_scenario_builds_one_event_with_everything_under_its_names():
    expo = (
        Scenario.create("expo")
        .organisation("law", name="Harbour Law")
        .organisation("ai", review_status="pending")
        .participant("amy", "law", name="Amy Leung", email="amy@example.com")
        .participant("ben", "ai", role="speaker")
        .opportunity("o-need", "ai", "need", "professional_service", "Listing counsel")
        .request("r1", "amy", "ben", "accepted")
        .session("am")
        .meeting("r1", table="T2")
        .organiser("orga")
        .account("amy", consents=True)
        .token("amy", participant="amy")
    )
    event = expo.event
    assert {expo.people[k].event for k in ("amy", "ben")} == {event}
    assert expo.people["amy"].event_organisation == expo.orgs["law"]
    assert expo.people["amy"].person.name == "Amy Leung"
    assert expo.people["ben"].role == "speaker" and expo.orgs["ai"].review_status == "pending"
    assert expo.opportunities["o-need"].event_organisation == expo.orgs["ai"]
    meeting = expo.meetings["r1"]
    assert (meeting.table, meeting.slot.session) == ("T2", expo.sessions["am"])
    seats = MeetingSeat.objects.filter(meeting=meeting).values_list("participant", flat=True)
    assert set(seats) == {expo.people["amy"].pk, expo.people["ben"].pk}
    assert expo.users["orga"] in expo.teams["Organisers"].members.all()
    assert expo.people["amy"].person.user == expo.users["amy"]
    # The token works: Amy reads her own event through the API.
    headers = {"Authorization": f"Bearer {expo.tokens['amy']}"}
    assert Client().get("/api/v1/events/expo", headers=headers).status_code == 200


def test_an_imported_scenario_names_the_documents_rows_by_key(document):
    imported = Scenario.imported(document)
    assert set(imported.people) == {"p1", "p2", "p3", "p4"}
    assert set(imported.requests) == {"r1", "r2", "r3"} and set(imported.sessions) == {"am", "pm"}
    assert imported.people["p1"].person.name == "Amy Leung"
