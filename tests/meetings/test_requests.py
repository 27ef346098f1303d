"""The meeting-request workflow: each transition, each refusal, the history and the mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.meetings.domain.expiry import expire_overdue_requests
from superconnector.meetings.domain.requests import (
    RequestRefused,
    accept_request,
    block_participant,
    cancel_request,
    decline_request,
    send_request,
)
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingSeat
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingSessionFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    event = EventFactory(max_pending_requests=2)
    org_a, org_b, org_c = (EventOrganisationFactory(event=event) for _ in range(3))
    return {
        "event": event,
        "amy": ParticipantFactory(event=event, event_organisation=org_a),
        "ben": ParticipantFactory(event=event, event_organisation=org_b),
        "cai": ParticipantFactory(event=event, event_organisation=org_c),
        "amy_colleague": ParticipantFactory(event=event, event_organisation=org_a),
    }


def refused(code, call, *args, **kwargs):
    with pytest.raises(RequestRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_sending_records_history_and_mails_the_recipient(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = send_request(people["amy"], people["ben"], message="About your 18C listing")
    assert request.status == "pending" and request.priority == 2
    assert request.sender_organisation == people["amy"].event_organisation
    assert list(request.changes.values_list("from_status", "to_status", "source")) == [
        ("", "pending", "web")
    ]
    assert [m.to for m in mail.outbox] == [[people["ben"].person.email]]
    assert "About your 18C listing" in mail.outbox[0].body
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_accept_and_decline_are_for_the_recipient_of_a_pending_request(people):
    request = send_request(people["amy"], people["ben"])
    refused("not_recipient", accept_request, request, by=people["amy"])
    accept_request(request, by=people["ben"])
    request.refresh_from_db()
    assert request.status == "accepted" and request.responded_at is not None
    refused("not_pending", decline_request, request, by=people["ben"])
    other = send_request(people["cai"], people["ben"])
    decline_request(other, by=people["ben"], reason="We do not take new clients this quarter")
    other.refresh_from_db()
    assert other.status == "declined" and other.decline_reason.startswith("We do not")
    assert other.changes.last().note == other.decline_reason
    assert OutgoingMail.objects.filter(
        kind="request_declined", to=people["cai"].person.email
    ).exists()


@pytest.mark.parametrize(
    ("sender", "recipient", "code"),
    [("amy", "amy", "same_person"), ("amy", "amy_colleague", "same_organisation")],
)
def test_requests_between_the_wrong_people_are_refused(people, sender, recipient, code):
    refused(code, send_request, people[sender], people[recipient])
    assert not MeetingRequest.objects.exists()


def test_no_requests_across_events_or_with_a_bad_priority(people):
    stranger = ParticipantFactory()
    refused("other_event", send_request, people["amy"], stranger)
    refused("priority", send_request, people["amy"], people["ben"], priority=5)


def test_a_second_open_request_between_the_same_pair_is_refused(people):
    request = send_request(people["amy"], people["ben"])
    refused("already_requested", send_request, people["amy"], people["ben"])
    accept_request(request, by=people["ben"])
    refused("already_requested", send_request, people["ben"], people["amy"])


def test_mutual_requests_merge_into_one_accepted_meeting(people):
    first = send_request(people["amy"], people["ben"])
    merged = send_request(people["ben"], people["amy"])
    assert merged.pk == first.pk and merged.status == "accepted"
    assert MeetingRequest.objects.count() == 1
    assert "merged" in merged.changes.last().note
    assert OutgoingMail.objects.filter(kind="request_accepted").count() == 2


def test_outgoing_pending_requests_are_capped(people):
    send_request(people["amy"], people["ben"])
    send_request(people["amy"], people["cai"])
    extra = ParticipantFactory(event=people["event"])
    error = refused("too_many_pending", send_request, people["amy"], extra)
    assert "2 unanswered" in str(error)


def test_blocked_senders_are_refused_without_revealing_the_block(people):
    pending = send_request(people["ben"], people["amy"])
    block_participant(people["amy"], people["ben"])
    pending.refresh_from_db()
    assert pending.status == "declined"  # an open request from the blocked person is declined
    error = refused("unavailable", send_request, people["ben"], people["amy"])
    assert "block" not in str(error).lower()
    send_request(people["amy"], people["ben"])  # the blocker can still ask


def test_after_the_deadline_nothing_is_sent_or_answered_and_pending_requests_expire(people):
    event = people["event"]
    request = send_request(people["amy"], people["ben"])
    accepted = send_request(people["cai"], people["ben"])
    accept_request(accepted, by=people["ben"])
    event.request_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    people["amy"].event.refresh_from_db()
    refused("closed", send_request, people["cai"], people["amy"])
    request.refresh_from_db()
    refused("closed", accept_request, request, by=people["ben"])
    assert expire_overdue_requests(event) == 1
    request.refresh_from_db()
    accepted.refresh_from_db()
    assert request.status == "expired" and request.changes.last().source == "deadline"
    assert accepted.status == "accepted"  # only unanswered requests lapse
    assert expire_overdue_requests(event) == 0


def test_cancelling_frees_the_scheduled_slot(people):
    request = send_request(people["amy"], people["ben"])
    refused("not_sender", cancel_request, request, by=people["ben"])  # decline instead
    accept_request(request, by=people["ben"])
    slot = MeetingSessionFactory(event=people["event"]).slots.first()
    meeting = Meeting.objects.create(event=people["event"], request=request, slot=slot, table="T1")
    for participant in (people["amy"], people["ben"]):
        MeetingSeat.objects.create(meeting=meeting, participant=participant, slot=slot)
    refused("not_party", cancel_request, request, by=people["cai"])
    cancel_request(request, by=people["ben"])
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert not Meeting.objects.exists() and not MeetingSeat.objects.exists()
    assert OutgoingMail.objects.filter(
        kind="request_cancelled", to=people["amy"].person.email
    ).exists()
    refused("not_active", cancel_request, request, by=people["amy"])
    send_request(people["amy"], people["ben"])  # a closed request does not block a new one


def test_every_state_change_is_recorded_with_its_actor(people, django_user_model):
    organiser = django_user_model.objects.create_user("org@example.org")
    request = send_request(people["amy"], people["ben"], actor=organiser, source="api")
    accept_request(request, by=people["ben"], actor=organiser)
    cancel_request(request, by=people["amy"])
    history = list(request.changes.values_list("from_status", "to_status", "actor_id", "source"))
    assert history == [
        ("", "pending", organiser.pk, "api"),
        ("pending", "accepted", organiser.pk, "web"),
        ("accepted", "cancelled", None, "web"),
    ]
