import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant
from superconnector.matchmaking.models import MeetingSuggestion
from superconnector.meetings.domain.noshow import mark_absent, undo_absent
from superconnector.meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    MeetingSeat,
    RequestStatus,
)
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
BEFORE_THE_EVENT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture
def people(event):
    """Amy (p1) meets Zhang Wei (p2) at 09:25, table T1 (r1). Amy's recommended matches:
    a newcomer who has not arrived (rank 1), then Li Na (p4), here (rank 2)."""
    p = {x.key: x for x in Participant.objects.filter(event=event)}
    newcomer = ParticipantFactory(event=event, key="p5")
    for rank, other in enumerate([newcomer, p["p4"]], start=1):
        MeetingSuggestion.objects.create(
            event=event, participant=p["p1"], suggested=other, score=1 / rank, rank=rank
        )
    p["p4"].checked_in_at = timezone.now()
    p["p4"].save()
    p["p5"] = newcomer
    return p


def test_freed_place_goes_to_a_checked_in_free_recommended_match(people):
    amy, zhang, li = people["p1"], people["p2"], people["p4"]
    r1_meeting = Meeting.objects.select_related("slot").get(request__key="r1")
    report = mark_absent(zhang, now=BEFORE_THE_EVENT)

    zhang.refresh_from_db()
    assert zhang.absent is True
    assert MeetingRequest.objects.get(key="r1").status == RequestStatus.CANCELLED
    assert [(f.counterpart, f.table, f.slot) for f in report.freed] == [
        (amy, "T1", r1_meeting.slot)
    ]
    assert len(report.offers) == 1 and report.offers[0].to == li  # not the absent newcomer
    meeting = report.offers[0].meeting
    assert (meeting.slot_id, meeting.table) == (r1_meeting.slot_id, "T1")
    assert set(
        MeetingSeat.objects.filter(meeting=meeting).values_list("participant", flat=True)
    ) == {
        amy.pk,
        li.pk,
    }
    request = meeting.request
    assert (request.sender, request.recipient, request.status) == (amy, li, "accepted")
    assert MeetingRequestChange.objects.get(request=request).source == "no_show"
    offers = OutgoingMail.objects.filter(kind="no_show_offer")
    assert sorted(offers.values_list("to", flat=True)) == [
        "amy.leung@example.com",
        "li.na@example.com",
    ]
    # Each side reads the offer in their own language: Li Na lists none, and her
    # organisation writes in Chinese; Amy writes English.
    assert "桌号 T1" in offers.get(to="li.na@example.com").body
    assert "table T1" in offers.get(to="amy.leung@example.com").body
    assert report.unfilled == []


def test_a_match_busy_in_that_slot_is_not_offered_it(people):
    li, peter = people["p4"], ParticipantFactory(event=people["p4"].event, key="p6")
    slot = Meeting.objects.get(request__key="r1").slot
    busy = MeetingRequest.objects.create(
        event=li.event,
        key="r-busy",
        sender=li,
        recipient=peter,
        sender_organisation=li.event_organisation,
        recipient_organisation=peter.event_organisation,
        status="accepted",
    )
    meeting = Meeting.objects.create(event=li.event, request=busy, slot=slot, table="T2")
    MeetingSeat.objects.create(meeting=meeting, participant=li, slot=slot)
    MeetingSeat.objects.create(meeting=meeting, participant=peter, slot=slot)

    report = mark_absent(people["p2"], now=BEFORE_THE_EVENT)
    assert len(report.freed) == 1 and report.offers == []
    assert len(report.unfilled) == 1
    assert not OutgoingMail.objects.filter(kind="no_show_offer").exists()


def test_meetings_already_past_are_left_alone(people):
    report = mark_absent(people["p2"], now=dt.datetime(2026, 12, 9, tzinfo=dt.UTC))
    assert report.freed == [] and report.offers == []
    assert MeetingRequest.objects.get(key="r1").status == RequestStatus.ACCEPTED


def test_undo_absent_keeps_cancelled_meetings_cancelled(people):
    zhang = people["p2"]
    mark_absent(zhang, now=BEFORE_THE_EVENT)
    undo_absent(zhang)
    zhang.refresh_from_db()
    assert zhang.absent is False
    assert MeetingRequest.objects.get(key="r1").status == RequestStatus.CANCELLED


def test_desk_marks_a_no_show(orga_client, event, people):
    zhang = people["p2"]
    # The event is in the future, so every meeting of Zhang Wei is still to come.
    response = orga_client.post(
        reverse("backoffice:checkin-action", args=[event.slug, zhang.pk]),
        {"action": "absent"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Zhang Wei marked absent: 1 meetings freed, 1 offered to others." in response.text
    assert "Not absent" in response.text
    assert Meeting.objects.filter(request__recipient=people["p4"]).count() == 1
