"""Bulk sends run in the background: once the organiser confirmed the count, a mailing
mails exactly the confirmed recipients, once each, records its progress and figures, and
the audit log; a second start while one runs is refused; one failing mail is reported and
the others still go; the page follows the count."""

import pytest
from django.urls import reverse

import superconnector.directory.domain.invitations as invitations
from superconnector.backoffice import tasks
from superconnector.backoffice.mailings import start_invitations, start_publication
from superconnector.core.domain.mailings import SENDING
from superconnector.core.domain.runs import RunAlreadyActive, execute_run
from superconnector.core.models import BulkMailing, OutgoingMail, SignInLink
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.invitations import invitation_work
from superconnector.directory.models import Participant
from superconnector.events.models import AuditEntry
from superconnector.meetings.domain.publication import affected_ids, count_affected
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import SchedulePublication
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def ids(event, *keys):
    return list(Participant.objects.filter(event=event, key__in=keys).values_list("pk", flat=True))


def invitations_to(event) -> set[str]:
    return set(
        OutgoingMail.objects.filter(event=event, kind="invitation").values_list("to", flat=True)
    )


def emails(event, *keys) -> set[str]:
    return {
        p.person.email
        for p in Participant.objects.filter(event=event, key__in=keys).select_related("person")
    }


# --- the run ----------------------------------------------------------------------------


def test_invitations_go_once_each_to_exactly_the_confirmed_recipients(
    event, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = start_invitations(event, organiser, ids(event, "p1", "p2"), base_url="https://x.org")
        # A delegate added after the confirmation is not among them.
        ParticipantFactory(event=event, key="late")
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 1.0
    assert invitations_to(event) == emails(event, "p1", "p2")
    assert run.stats == {"total": 2, "sent": 2, "left_out": [], "failed": []}

    # The task taken up again (a duplicate in the queue) leaves a finished run alone.
    tasks.send_invitations.call(run.pk)
    assert OutgoingMail.objects.filter(kind="invitation").count() == 2


def test_the_run_records_its_progress_one_recipient_at_a_time(event, organiser):
    run = BulkMailing.objects.create(
        event=event, kind="invitations", recipients=ids(event, "p1", "p2", "p3", "p4")
    )
    reported = []
    stats = invitation_work(run, lambda stage, fraction: reported.append((stage, fraction)))
    assert reported == [
        (SENDING, 0.0),
        (SENDING, 0.25),
        (SENDING, 0.5),
        (SENDING, 0.75),
        (SENDING, 1.0),
    ]
    assert stats["sent"] == 4


def test_a_second_start_while_one_is_queued_is_refused(event, organiser):
    first = start_invitations(event, organiser, ids(event, "p1"), base_url="https://x.org")
    with pytest.raises(RunAlreadyActive) as refused:
        start_invitations(event, organiser, ids(event, "p1"), base_url="https://x.org")
    assert refused.value.run == first
    # One mailing at a time per event, whatever its kind: the publication waits too.
    with pytest.raises(RunAlreadyActive):
        start_publication(event, organiser, ids(event, "p2"))
    assert BulkMailing.objects.filter(event=event).count() == 1


def test_one_failing_mail_is_reported_and_the_others_still_go(event, organiser, monkeypatch):
    amy = emails(event, "p1").pop()

    def failing_for_amy(to, *args, **kwargs):
        if to.lower() == amy.lower():
            raise RuntimeError("the mail could not be stored")
        return queue_mail(to, *args, **kwargs)

    monkeypatch.setattr(invitations, "queue_mail", failing_for_amy)
    run = BulkMailing.objects.create(
        event=event,
        kind="invitations",
        recipients=ids(event, "p1", "p2", "p3"),
        created_by=organiser,
    )
    execute_run(run, invitation_work)

    assert run.status == "done"
    assert invitations_to(event) == emails(event, "p2", "p3")
    [p1] = ids(event, "p1")
    assert run.stats["failed"] == [{"participant": p1, "reason": "RuntimeError"}]
    assert run.stats["sent"] == 2
    # Amy's half-made invitation went with its savepoint: no account or sign-in link was
    # left behind without its mail (the next invitation makes them afresh).
    assert Participant.objects.get(pk=p1).person.user is None
    assert not SignInLink.objects.filter(user__email__iexact=amy).exists()


def test_refused_recipients_are_left_out_with_a_reason_and_the_audit_log_has_the_send(
    event, organiser
):
    from superconnector.privacy.domain.erasure import anonymise_person

    erased = Participant.objects.select_related("person").get(event=event, key="p2")
    anonymise_person(erased.person)
    run = BulkMailing.objects.create(
        event=event,
        kind="invitations",
        recipients=[*ids(event, "p1", "p2"), 999999],  # and one deleted since
        created_by=organiser,
    )
    execute_run(run, invitation_work)

    assert run.stats["sent"] == 1
    assert run.stats["left_out"] == [
        {"participant": erased.pk, "reason": "erased"},
        {"participant": 999999, "reason": "gone"},
    ]
    entry = AuditEntry.objects.get(action="send", subject="invitations")
    assert entry.actor == organiser and entry.event == event
    assert entry.detail == {
        "mailing": run.pk,
        "recipients": 3,
        "sent": 1,
        "left_out": 2,
        "failed": 0,
    }


# --- the publication --------------------------------------------------------------------


@pytest.fixture
def scheduled(event):
    schedule_event(event, time_limit=5)  # r1 (p2-p1) and r3 (p3-p1)
    return event


def agendas_to(event) -> set[str]:
    return set(OutgoingMail.objects.filter(event=event, kind="agenda").values_list("to", flat=True))


def test_the_publication_mails_only_the_confirmed_and_keeps_the_others_for_next_time(
    scheduled, organiser, django_capture_on_commit_callbacks
):
    confirmed = ids(scheduled, "p1", "p2")  # p3 is affected too, but was not confirmed
    assert set(confirmed) < set(affected_ids(scheduled))
    with django_capture_on_commit_callbacks(execute=True):
        run = start_publication(scheduled, organiser, confirmed)
    run.refresh_from_db()
    assert run.status == "done"
    assert agendas_to(scheduled) == emails(scheduled, "p1", "p2")
    assert run.stats["sent"] == 2 and run.stats["not_confirmed"] == 1
    scheduled.refresh_from_db()
    assert scheduled.schedule_published_at is not None
    publication = SchedulePublication.objects.get()
    assert publication.mailed == 2 and publication.published_by == organiser
    # Peter (p3) was not told: the next publication mails him, and only him.
    assert affected_ids(scheduled) == ids(scheduled, "p3")
    assert AuditEntry.objects.filter(action="send", subject="agendas").count() == 1


def test_a_failed_agenda_mail_is_mailed_by_the_next_publication(scheduled, organiser, monkeypatch):
    import superconnector.meetings.domain.publish as publish

    peter = emails(scheduled, "p3").pop()

    def failing_for_peter(to, *args, **kwargs):
        if to == peter:
            raise ConnectionError("outbox unavailable")
        return queue_mail(to, *args, **kwargs)

    monkeypatch.setattr(publish, "queue_mail", failing_for_peter)
    run = BulkMailing.objects.create(
        event=scheduled, kind="agendas", recipients=affected_ids(scheduled), created_by=organiser
    )
    from superconnector.meetings.domain.publication import publication_work

    execute_run(run, publication_work)
    assert run.status == "done" and run.stats["sent"] == 2
    assert run.stats["failed"] == [
        {"participant": ids(scheduled, "p3")[0], "reason": "ConnectionError"}
    ]
    assert count_affected(scheduled) == 1  # Peter, still to be told


# --- the pages --------------------------------------------------------------------------


def test_the_page_follows_a_running_mailing(orga_client, event, organiser):
    run = BulkMailing.objects.create(
        event=event,
        kind="invitations",
        recipients=ids(event, "p1", "p2", "p3", "p4"),
        status="running",
        progress=0.5,
    )
    url = reverse("backoffice:invitations", args=[event.slug])
    page = orga_client.get(url)
    progress_url = reverse("backoffice:mailing-progress", args=[event.slug, run.pk])
    assert "2 of 4 done…" in page.text
    assert f'hx-get="{progress_url}"' in page.text  # polled while it runs
    assert "disabled>Send invitations" in page.text.replace("\n", "")  # no second send

    fragment = orga_client.get(progress_url)
    assert fragment.status_code == 200 and "2 of 4 done…" in fragment.text
    assert "<html" not in fragment.text


def test_the_page_shows_the_result_with_who_failed_and_who_was_left_out(
    orga_client, event, organiser
):
    p1, p2 = ids(event, "p1", "p2")
    run = BulkMailing.objects.create(
        event=event,
        kind="invitations",
        recipients=ids(event, "p1", "p2", "p3", "p4"),
        status="done",
        progress=1.0,
        stats={
            "total": 4,
            "sent": 2,
            "left_out": [{"participant": p2, "reason": "disabled"}],
            "failed": [{"participant": p1, "reason": "SMTPException"}],
        },
    )
    fragment = orga_client.get(reverse("backoffice:mailing-progress", args=[event.slug, run.pk]))
    text = fragment.text
    assert "2 of 4 mails sent." in text
    assert "hx-get" not in text  # finished: no more polling
    assert "1 mail failed" in text and "Amy Leung: SMTPException" in text
    assert "1 left out" in text and "the account is disabled" in text


def test_confirming_twice_sends_once(orga_client, event):
    url = reverse("backoffice:invitations", args=[event.slug])
    count = orga_client.post(url).context["count"]
    # No commit in this test: the first mailing stays queued, as if its worker were busy.
    orga_client.post(url, {"confirm": count})
    response = orga_client.post(url, {"confirm": count}, follow=True)
    assert "already queued or running" in response.text
    assert BulkMailing.objects.filter(event=event).count() == 1
    assert not OutgoingMail.objects.exists()


def test_a_mailing_whose_worker_died_shows_as_failed_and_frees_the_next_send(
    orga_client, event, organiser
):
    import datetime as dt

    from django.utils import timezone

    run = BulkMailing.objects.create(
        event=event,
        kind="invitations",
        recipients=ids(event, "p1"),
        status="running",
        started_at=timezone.now() - dt.timedelta(hours=2),
    )
    page = orga_client.get(reverse("backoffice:invitations", args=[event.slug]))
    run.refresh_from_db()
    assert run.status == "failed" and "stopped before the end" in page.text
    assert start_invitations(event, organiser, ids(event, "p1"), base_url="https://x.org")


def test_publishing_with_nobody_to_mail_still_publishes(event, organiser):
    from superconnector.meetings.domain.publication import publication_work

    run = BulkMailing.objects.create(event=event, kind="agendas", recipients=[])
    execute_run(run, publication_work)
    event.refresh_from_db()
    assert run.status == "done" and run.stats["total"] == 0 and run.stats["sent"] == 0
    assert event.schedule_published_at is not None and SchedulePublication.objects.exists()
