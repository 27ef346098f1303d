"""Meeting requests through the portal: send, accept, decline, cancel, refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.meetings.models import Meeting, MeetingRequest, RequestStatus
from tests.factories import ParticipantFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


def test_inbox_and_outbox_show_states_and_messages(amy_client, event):
    response = amy_client.get(f"/events/{event.slug}/meetings/")
    inbox, outbox = response.context["requests"].inbox, response.context["requests"].outbox
    assert {r.key for r in inbox} == {"r1", "r3"} and outbox == []
    assert "想了解18C" in response.text  # Zhang Wei's message
    assert 'class="badge accepted"' in response.text


def test_send_a_request_with_message_and_priority(amy_client, event):
    page = amy_client.get(f"/events/{event.slug}/meetings/new/?to=p4")
    assert page.status_code == 200 and "Li Na" in page.text
    li = participant(event, "p4")
    response = amy_client.post(
        f"/events/{event.slug}/meetings/new/",
        {"to": "p4", "recipient": str(li.pk), "message": "关于上市", "priority": "3"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/meetings/")
    sent = MeetingRequest.objects.get(sender__key="p1", recipient=li)
    assert (sent.status, sent.priority, sent.message) == ("pending", 3, "关于上市")
    assert OutgoingMail.objects.filter(to=li.person.email, kind="request_received").exists()
    listed = amy_client.get(response["Location"])
    assert "Meeting request sent to Li Na." in listed.text


def test_refusal_is_shown_on_the_form(amy_client, event):
    event.request_deadline = timezone.now() - dt.timedelta(hours=1)
    event.save()
    li = participant(event, "p4")
    response = amy_client.post(
        f"/events/{event.slug}/meetings/new/",
        {"to": "p4", "recipient": str(li.pk), "message": "", "priority": "2"},
    )
    assert response.status_code == 200
    assert "Meeting requests for this event are closed." in response.text
    assert not MeetingRequest.objects.filter(sender__key="p1", recipient=li).exists()


def test_own_organisation_and_other_events_cannot_be_asked(client, event, account):
    client.force_login(account("p2"))
    assert client.get(f"/events/{event.slug}/meetings/new/?to=p4").status_code == 404
    stranger = ParticipantFactory()
    assert client.get(f"/events/{event.slug}/meetings/new/?to={stranger.key}").status_code == 404


def test_accept_and_decline_with_a_reason(client, event, account):
    peter = account("p3")
    client.force_login(peter)
    r2 = MeetingRequest.objects.get(key="r2")
    response = client.post(f"/events/{event.slug}/meetings/{r2.pk}/decline/", {"reason": "没空"})
    assert response.status_code == 302
    r2.refresh_from_db()
    assert (r2.status, r2.decline_reason) == ("declined", "没空")
    # Answering again is refused with the domain's message.
    again = client.post(f"/events/{event.slug}/meetings/{r2.pk}/accept/", follow=True)
    assert "This request is Declined already." in again.text
    r2.refresh_from_db()
    assert r2.status == "declined"


def test_accept_through_the_view(client, event, account):
    li = participant(event, "p4")
    pending = MeetingRequest.objects.create(
        event=event,
        key="r9",
        sender=li,
        recipient=participant(event, "p1"),
        sender_organisation=li.event_organisation,
        recipient_organisation=participant(event, "p1").event_organisation,
    )
    client.force_login(account("p1"))
    response = client.post(f"/events/{event.slug}/meetings/{pending.pk}/accept/", follow=True)
    assert "Request accepted" in response.text
    pending.refresh_from_db()
    assert pending.status == RequestStatus.ACCEPTED


def test_only_the_recipient_may_accept(client, event, account):
    r2 = MeetingRequest.objects.get(key="r2")
    client.force_login(account("p4"))  # the sender
    response = client.post(f"/events/{event.slug}/meetings/{r2.pk}/accept/", follow=True)
    assert "Only the person asked can answer this request." in response.text
    client.force_login(account("p1"))  # not a party at all
    assert client.post(f"/events/{event.slug}/meetings/{r2.pk}/accept/").status_code == 404
    assert MeetingRequest.objects.get(key="r2").status == "pending"


def test_cancel_an_accepted_meeting_frees_the_slot(amy_client, event):
    r1 = MeetingRequest.objects.get(key="r1")
    assert Meeting.objects.filter(request=r1).exists()
    response = amy_client.post(f"/events/{event.slug}/meetings/{r1.pk}/cancel/", follow=True)
    assert "Request cancelled." in response.text
    r1.refresh_from_db()
    assert r1.status == "cancelled" and not Meeting.objects.filter(request=r1).exists()


def test_get_is_not_allowed_for_actions(amy_client, event):
    r1 = MeetingRequest.objects.get(key="r1")
    assert amy_client.get(f"/events/{event.slug}/meetings/{r1.pk}/cancel/").status_code == 405


def test_meetings_page_query_count_does_not_grow(amy_client, event, django_assert_max_num_queries):
    amy = participant(event, "p1")
    for n in range(25):
        other = ParticipantFactory(event=event)
        MeetingRequest.objects.create(
            event=event,
            key=f"bulk-{n}",
            sender=other,
            recipient=amy,
            sender_organisation=other.event_organisation,
            recipient_organisation=amy.event_organisation,
            status="pending",
            message=f"hello {n}",
        )
    with django_assert_max_num_queries(10):
        response = amy_client.get(f"/events/{event.slug}/meetings/")
    assert len(response.context["requests"].inbox) == 27


def test_past_the_deadline_no_request_is_pending_or_due_in_the_past(client, event, account):
    """Finding 5: the outbox showed r2 pending, "answer due by" an hour ago."""
    event.request_deadline = timezone.now() - dt.timedelta(hours=1)
    event.save()
    client.force_login(account("p4"))  # Li Na sent r2 to Peter Ho
    page = client.get(f"/events/{event.slug}/meetings/")
    assert [r.key for r in page.context["requests"].outbox] == ["r2"]
    assert 'class="badge expired"' in page.text and 'class="badge pending"' not in page.text
    assert "answer due by" not in page.text and "Requests closed at" in page.text
    assert MeetingRequest.objects.get(key="r2").status == RequestStatus.EXPIRED


def test_before_the_deadline_the_answer_is_due_by_it(client, event, account):
    event.request_deadline = timezone.now() + dt.timedelta(hours=1)
    event.save()
    client.force_login(account("p4"))
    page = client.get(f"/events/{event.slug}/meetings/")
    assert "answer due by" in page.text and 'class="badge pending"' in page.text


def test_a_busy_database_does_not_break_the_page_or_show_a_past_deadline(
    client, event, account, monkeypatch
):
    """If the expiry cannot write just now (SQLite busy), the page still answers, and still
    never says "answer due by" a moment already past."""
    from django.db import OperationalError

    def busy(event, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("superconnector.meetings.domain.expiry.expire_overdue_requests", busy)
    event.request_deadline = timezone.now() - dt.timedelta(hours=1)
    event.save()
    client.force_login(account("p4"))
    page = client.get(f"/events/{event.slug}/meetings/")
    assert page.status_code == 200
    assert "answer due by" not in page.text and "Requests closed at" in page.text


def test_after_publication_a_late_accept_is_placed_and_a_cancellation_offered(
    client, event, account, monkeypatch
):
    """The portal's day-of actions go through the local repair (meetings/domain/repair.py):
    nothing already scheduled moves."""
    import superconnector.meetings.domain.repair as repair
    from superconnector.matchmaking.models import MeetingSuggestion
    from superconnector.meetings.domain.publication import publish_event_schedule
    from superconnector.meetings.domain.schedule import schedule_event

    monkeypatch.setattr(
        repair, "repair_now", lambda: dt.datetime(2026, 12, 8, 0, 30, tzinfo=dt.UTC)
    )
    schedule_event(event, time_limit=5)
    publish_event_schedule(event, None)
    before = dict(Meeting.objects.values_list("request__key", "slot_id"))
    r2 = MeetingRequest.objects.get(key="r2")  # Li Na asked Peter; he accepts on the day
    client.force_login(account("p3"))
    client.post(f"/events/{event.slug}/meetings/{r2.pk}/accept/")
    placed = Meeting.objects.get(request=r2)
    assert placed.slot.session.key == "pm"
    assert dict(Meeting.objects.exclude(request=r2).values_list("request__key", "slot_id")) == (
        before
    )
    # Peter then calls off his meeting with Amy: the place she is left with goes to a
    # delegate recommended to her who is here and free then.
    newcomer = ParticipantFactory(event=event, checked_in_at=timezone.now())
    amy = participant(event, "p1")
    MeetingSuggestion.objects.create(
        event=event, participant=amy, suggested=newcomer, score=1.0, rank=1
    )
    r3 = MeetingRequest.objects.get(key="r3")
    freed = Meeting.objects.get(request=r3)
    client.post(f"/events/{event.slug}/meetings/{r3.pk}/cancel/")
    offered = Meeting.objects.get(slot=freed.slot, table=freed.table)
    assert set(offered.seats.values_list("participant_id", flat=True)) == {amy.pk, newcomer.pk}


def test_the_request_form_says_when_a_colleague_already_meets_the_organisation(
    client, event, account
):
    """Zhang Wei (p2) already meets Amy (r1, accepted): his colleague Li Na (p4), asking
    Harbour Law, is told before she sends; Amy asking Kowloon Bank is told nothing."""
    amy = participant(event, "p1")
    client.force_login(account("p4"))
    page = client.get(f"/events/{event.slug}/meetings/new/?to={amy.key}")
    assert page.status_code == 200
    assert "Your colleague Zhang Wei already meets Amy Leung of Harbour Law LLP." in page.text
    client.force_login(account("p1"))
    peter = participant(event, "p3")
    page = client.get(f"/events/{event.slug}/meetings/new/?to={peter.key}")
    assert page.status_code == 200 and "Your colleague" not in page.text
