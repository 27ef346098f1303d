"""Finding 5: pending requests expire at the organiser's deadline, on their own.

Before the fix, nothing ever called the expiry: after the deadline new requests were
refused, but pending ones stayed pending ("answer due by" a time already past), kept their
pair and the sender's cap of open requests blocked, and the dashboard counted 0 expired.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from superconnector.core.models import OutgoingMail, User
from superconnector.core.outbox import queue_mail as real_queue_mail
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.deadlines import schedule_request_expiry
from superconnector.meetings.domain.expiry import EXPIRY_SOURCE, expire_overdue_requests
from superconnector.meetings.domain.requests import RequestRefused, send_request
from superconnector.meetings.models import MeetingRequest
from superconnector.meetings.tasks import expire_requests
from tests.factories import EventFactory, EventOrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(django_user_model):
    event = EventFactory(max_pending_requests=1, request_deadline=NOW + dt.timedelta(hours=2))
    amy, ben, cai = (
        ParticipantFactory(event=event, event_organisation=EventOrganisationFactory(event=event))
        for _ in range(3)
    )
    # Ben reads Simplified Chinese; Amy has no account (mail in the platform's language).
    ben.person.user = django_user_model.objects.create_user(ben.person.email, locale="zh-hans")
    ben.person.save()
    return {"event": event, "amy": amy, "ben": ben, "cai": cai}


def test_nothing_expires_before_the_deadline(people):
    request = send_request(people["amy"], people["ben"], now=NOW)
    assert expire_overdue_requests(people["event"], now=NOW + dt.timedelta(hours=1)) == 0
    request.refresh_from_db()
    assert request.status == "pending"


def test_at_the_deadline_pending_requests_expire_and_free_what_they_blocked(people, monkeypatch):
    event, amy, ben, cai = people["event"], people["amy"], people["ben"], people["cai"]
    languages = {}

    def queue_mail(to, subject, body, **kwargs):
        languages[to] = translation.get_language()  # the language the mail was written in
        return real_queue_mail(to, subject, body, **kwargs)

    monkeypatch.setattr("superconnector.meetings.domain.expiry.queue_mail", queue_mail)
    pending = send_request(amy, ben, now=NOW)
    answered = send_request(cai, ben, now=NOW)
    answered.status = "declined"
    answered.save()
    # Amy's cap (1) is full while the request is pending.
    with pytest.raises(RequestRefused):
        send_request(amy, cai, now=NOW)
    OutgoingMail.objects.all().delete()

    deadline = event.request_deadline
    assert expire_overdue_requests(event, now=deadline) == 1
    pending.refresh_from_db()
    answered.refresh_from_db()
    assert pending.status == "expired" and answered.status == "declined"
    change = pending.changes.last()
    assert (change.from_status, change.to_status, change.actor, change.source) == (
        "pending",
        "expired",
        None,
        EXPIRY_SOURCE,
    )
    # Both sides are told, each in their own language.
    mails = {m.to: m for m in OutgoingMail.objects.filter(kind="request_expired")}
    assert set(mails) == {amy.person.email, ben.person.email}
    assert languages == {amy.person.email: "en", ben.person.email: "zh-hans"}
    assert "expired" in mails[amy.person.email].subject
    assert ben.person.name in mails[amy.person.email].body
    assert amy.person.name in mails[ben.person.email].body
    # Idempotent: a second run (the task, the command, a page) changes and mails nothing.
    assert expire_overdue_requests(event, now=deadline + dt.timedelta(minutes=5)) == 0
    assert OutgoingMail.objects.filter(kind="request_expired").count() == 2
    assert pending.changes.count() == 2

    # The pair and the cap are free again: with a later deadline Amy may ask both again.
    event.request_deadline = deadline + dt.timedelta(days=1)
    event.save()
    send_request(amy, ben, now=deadline + dt.timedelta(minutes=1))
    MeetingRequest.objects.filter(sender=amy, status="pending").update(status="cancelled")
    send_request(amy, cai, now=deadline + dt.timedelta(minutes=1))


def test_the_task_checks_the_deadline_when_it_runs(people):
    event, request = people["event"], send_request(people["amy"], people["ben"], now=NOW)
    # The deadline moved later after the task was queued: the task does nothing.
    Event.objects.filter(pk=event.pk).update(request_deadline=timezone.now() + dt.timedelta(days=1))
    assert expire_requests.call(event.pk) == 0
    request.refresh_from_db()
    assert request.status == "pending"
    Event.objects.filter(pk=event.pk).update(request_deadline=timezone.now())
    assert expire_requests.call(event.pk) == 1
    assert expire_requests.call(event.pk) == 0
    assert expire_requests.call(10**9) == 0  # the event was deleted meanwhile


def test_setting_a_passed_deadline_expires_at_once(people, django_capture_on_commit_callbacks):
    event, request = people["event"], send_request(people["amy"], people["ben"], now=NOW)
    event.request_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_request_expiry(event)
    request.refresh_from_db()
    assert request.status == "expired"


def test_the_command_expires_every_overdue_event(people, capsys):
    event = people["event"]
    send_request(people["amy"], people["ben"], now=NOW)
    later = EventFactory(request_deadline=timezone.now() + dt.timedelta(days=1))
    one, two = (
        ParticipantFactory(event=later, event_organisation=EventOrganisationFactory(event=later))
        for _ in range(2)
    )
    untouched = send_request(one, two)
    Event.objects.filter(pk=event.pk).update(request_deadline=timezone.now())
    call_command("expire_requests")
    out = capsys.readouterr().out
    assert f"{event.slug}: 1 pending requests expired" in out
    assert "1 requests expired in all." in out
    untouched.refresh_from_db()
    assert untouched.status == "pending"
    call_command("expire_requests", event.slug)
    assert "0 requests expired in all." in capsys.readouterr().out
    with pytest.raises(CommandError, match='no event with slug "nope"'):
        call_command("expire_requests", "nope")


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_requests_at_the_deadline_the_organiser_set(client, document):
    """Finding 5 end to end, through the production task backend and its worker: the back
    office queues a task for the deadline, and the worker carries it out when it is due."""
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        import_document(document)  # r2: p4 -> p3, pending
        event = Event.objects.get(slug="bj-hk-2026")
        organiser = User.objects.create_user("orga@example.com", "a-long-password")
        add_organiser(event, organiser)
        client.force_login(organiser)
        deadline = (timezone.now() + dt.timedelta(days=1)).astimezone(event.tzinfo)
        response = client.post(
            reverse("backoffice:event-edit", args=[event.slug]),
            {
                "name": event.name,
                "timezone": event.timezone,
                "starts_on": "2026-12-08",
                "ends_on": "2026-12-08",
                "request_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
                "max_pending_requests": 20,
            },
        )
        assert response.status_code == 302
        event.refresh_from_db()
        task = DBTaskResult.objects.get(task_path__endswith="expire_requests")
        assert task.run_after == event.request_deadline

        run_worker()  # not due yet
        assert MeetingRequest.objects.get(key="r2").status == "pending"

        # The deadline comes (the clock is moved by moving both times into the past).
        Event.objects.filter(pk=event.pk).update(request_deadline=timezone.now())
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now())
        run_worker()
        assert MeetingRequest.objects.get(key="r2").status == "expired"
        told = OutgoingMail.objects.filter(kind="request_expired", status="sent")
        assert sorted(told.values_list("to", flat=True)) == [
            "li.na@example.com",
            "peter.ho@example.com",
        ]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_staff_moving_the_deadline_in_the_admin_schedules_the_expiry_too(
    admin_client, document, django_capture_on_commit_callbacks
):
    import_document(document)  # r2: p4 -> p3, pending
    event = Event.objects.get(slug="bj-hk-2026")
    past = (timezone.now() - dt.timedelta(hours=1)).astimezone(event.tzinfo)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/events/event/{event.pk}/change/",
            {
                "slug": event.slug,
                "name": event.name,
                "timezone": event.timezone,
                "starts_on": "2026-12-08",
                "ends_on": "2026-12-08",
                "request_deadline_0": past.strftime("%Y-%m-%d"),
                "request_deadline_1": past.strftime("%H:%M:%S"),
                "max_pending_requests": 20,
                "retention_days": 180,
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert MeetingRequest.objects.get(key="r2").status == "expired"
