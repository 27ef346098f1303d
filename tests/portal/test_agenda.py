"""The agenda page, its calendar feed, business cards and recording outcomes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar

from superconnector.events.models import Slot
from superconnector.meetings.domain.outcomes import OutcomeRefused, record_outcome
from superconnector.meetings.models import Meeting, MeetingOutcome
from superconnector.portal.domain.feeds import calendar_token
from tests.factories import ParticipantFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(event):
    event.schedule_published_at = timezone.now()
    event.save()
    return event


@pytest.fixture
def r1_meeting(event) -> Meeting:
    return Meeting.objects.select_related("slot", "request").get(request__key="r1")


def move_to_the_past(meeting: Meeting) -> None:
    start = timezone.now() - dt.timedelta(hours=2)
    Slot.objects.filter(pk=meeting.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=20)
    )


def test_agenda_waits_for_publication(amy_client, event):
    response = amy_client.get(f"/events/{event.slug}/agenda/")
    assert response.context["rows"] == []
    assert "The schedule is not published yet." in response.text


def test_agenda_in_the_event_time_zone_with_cards(amy_client, published):
    response = amy_client.get(f"/events/{published.slug}/agenda/")
    rows = response.context["rows"]
    assert [r.item.counterpart for r in rows] == ["Zhang Wei"]
    assert "09:25–09:45" in response.text  # Asia/Shanghai wall clock, not UTC (01:25)
    assert "Zhiyuan AI" in response.text and "T1" in response.text
    # Cards of everyone with an accepted meeting (r1 Zhang Wei, r3 Peter Ho), with contacts.
    assert [c.person.name for c in response.context["cards"]] == ["Peter Ho", "Zhang Wei"]
    assert "zhang.wei@example.com" in response.text and "peter.ho@example.com" in response.text
    assert "li.na@example.com" not in response.text
    assert "data-print" in response.text and "no-print" in response.text
    assert response.context["feed_url"].startswith(
        "http://testserver/events/bj-hk-2026/agenda/calendar/"
    )


def test_calendar_feed_works_without_a_session(client, published):
    amy = participant(published, "p1")
    response = client.get(f"/events/{published.slug}/agenda/calendar/{calendar_token(amy)}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    entries = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in entries] == ["bj-hk-2026.r1@superconnector"]
    assert entries[0].decoded("dtstart").strftime("%H:%M") == "09:25"


def test_calendar_feed_before_publication_is_empty(client, event):
    amy = participant(event, "p1")
    response = client.get(f"/events/{event.slug}/agenda/calendar/{calendar_token(amy)}.ics")
    assert response.status_code == 200 and b"BEGIN:VCALENDAR" in response.content
    assert Calendar.from_ical(response.content).walk("VEVENT") == []


def test_bad_or_foreign_calendar_tokens_are_404(client, published):
    amy = participant(published, "p1")
    token = calendar_token(amy)
    base = f"/events/{published.slug}/agenda/calendar/"
    assert client.get(f"{base}{token[:-2]}xx.ics").status_code == 404
    assert client.get(f"{base}garbage.ics").status_code == 404
    stranger = ParticipantFactory()  # a token for another event's participant
    assert client.get(f"{base}{calendar_token(stranger)}.ics").status_code == 404


def test_record_an_outcome_through_the_page(amy_client, published, r1_meeting):
    url = f"/events/{published.slug}/agenda/meetings/{r1_meeting.pk}/outcome/"
    early = amy_client.post(url, {"kind": "follow_up", "currency": "HKD"})
    assert early.status_code == 200
    assert "You can report on a meeting once it has started." in early.text
    move_to_the_past(r1_meeting)
    response = amy_client.post(
        url, {"kind": "licence", "value": "250000", "currency": "usd", "note": "18C 咨询"}
    )
    assert response.status_code == 302
    outcome = MeetingOutcome.objects.get()
    assert (outcome.kind, outcome.value, outcome.currency, outcome.note) == (
        "licence",
        Decimal("250000.00"),
        "USD",
        "18C 咨询",
    )
    assert outcome.reported_by.key == "p1"
    agenda = amy_client.get(f"/events/{published.slug}/agenda/")
    assert agenda.context["rows"][0].outcome == outcome and "Licence granted" in agenda.text
    # The form shows the recorded outcome, and saving again corrects it (one per side).
    assert amy_client.get(url).context["form"].initial["kind"] == "licence"
    amy_client.post(url, {"kind": "no_show", "currency": ""})
    assert MeetingOutcome.objects.get().kind == "no_show"


def test_outcome_rules(event, r1_meeting):
    amy, zhang, peter = (participant(event, k) for k in ("p1", "p2", "p3"))
    later = r1_meeting.slot.ends_at + dt.timedelta(hours=1)
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(r1_meeting, by=peter, kind="nda", now=later)
    assert refused.value.code == "not_party"
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(r1_meeting, by=amy, kind="nda", value=Decimal(5), currency="HKD", now=later)
    assert refused.value.code == "value_not_allowed"
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(
            r1_meeting, by=amy, kind="investment", value=Decimal(5), currency="dollars", now=later
        )
    assert refused.value.code == "currency"
    with pytest.raises(OutcomeRefused) as refused:
        record_outcome(r1_meeting, by=amy, kind="maybe", now=later)
    assert refused.value.code == "kind"
    mine = record_outcome(r1_meeting, by=amy, kind="nda", note=" signed ", now=later)
    theirs = record_outcome(
        r1_meeting, by=zhang, kind="investment", value=Decimal("1e6"), currency="cny", now=later
    )
    assert (mine.kind, mine.note, mine.value, mine.currency) == ("nda", "signed", None, "")
    assert (theirs.value, theirs.currency) == (Decimal("1000000"), "CNY")
    assert MeetingOutcome.objects.filter(meeting=r1_meeting).count() == 2


def test_agenda_query_count_does_not_grow(amy_client, published, django_assert_max_num_queries):
    from superconnector.meetings.models import MeetingRequest, MeetingSeat

    amy = participant(published, "p1")
    taken = Meeting.objects.get(request__key="r1").slot_id
    slots = Slot.objects.filter(session__event=published).exclude(pk=taken)[:6]
    for n, slot in enumerate(slots):
        other = ParticipantFactory(event=published)
        request = MeetingRequest.objects.create(
            event=published,
            key=f"bulk-{n}",
            sender=other,
            recipient=amy,
            sender_organisation=other.event_organisation,
            recipient_organisation=amy.event_organisation,
            status="accepted",
        )
        meeting = Meeting.objects.create(event=published, request=request, slot=slot, table="T9")
        MeetingSeat.objects.bulk_create(
            [MeetingSeat(meeting=meeting, participant=p, slot=slot) for p in (amy, other)]
        )
    with django_assert_max_num_queries(12):
        response = amy_client.get(f"/events/{published.slug}/agenda/")
    assert len(response.context["rows"]) == 7
    assert len(response.context["cards"]) == 8  # r1, r3 and the six new counterparts


def feed(client, event, token: str):
    return client.get(f"/events/{event.slug}/agenda/calendar/{token}.ics")


def test_a_disabled_accounts_calendar_feed_answers_404(client, published, amy):
    token = calendar_token(participant(published, "p1"))
    assert feed(client, published, token).status_code == 200
    amy.is_active = False
    amy.save()
    assert feed(client, published, token).status_code == 404


def test_an_erased_persons_calendar_feed_is_gone(client, published, amy):
    from superconnector.privacy.domain.erasure import erase_person

    amy_participant = participant(published, "p1")
    token = calendar_token(amy_participant)
    erase_person(amy_participant.person)
    response = feed(client, published, token)
    assert response.status_code == 410
    assert b"VEVENT" not in response.content


def test_a_feed_stops_when_the_record_is_linked_to_another_account(
    client, published, amy, django_user_model
):
    amy_participant = participant(published, "p1")
    token = calendar_token(amy_participant)
    other = django_user_model.objects.create_user("someone.else@example.com", None)
    amy_participant.person.user = other
    amy_participant.person.save()
    assert feed(client, published, token).status_code == 404
    assert feed(client, published, calendar_token(participant(published, "p1"))).status_code == 200


def test_feed_addresses_issued_before_they_named_the_account_still_work(client, published, amy):
    from django.core import signing

    from superconnector.portal.domain.feeds import SALT

    amy_participant = participant(published, "p1")
    old_token = signing.dumps([published.pk, amy_participant.pk], salt=SALT)
    assert feed(client, published, old_token).status_code == 200
    amy.is_active = False
    amy.save()
    assert feed(client, published, old_token).status_code == 404
