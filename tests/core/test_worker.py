"""Tasks through the production backend (database) and its worker, as `serve` and
production run them: the suite's immediate backend would hide a task nobody carries out."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from superconnector.core.models import OutgoingMail
from superconnector.core.outbox import queue_mail
from superconnector.matchmaking.models import MatchingRun
from superconnector.matchmaking.runs import start_matching
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_backend():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


def run_worker() -> None:
    """What `superconnector db_worker` does, until nothing is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_mail_waits_for_the_worker_and_is_sent_by_it():
    with transaction.atomic():
        queue_mail("amy@example.com", "Hello", "Body")
    assert mail.outbox == [] and OutgoingMail.objects.get().status == "queued"
    run_worker()
    assert OutgoingMail.objects.get().status == "sent" and len(mail.outbox) == 1


def test_a_failed_send_is_retried_by_the_worker_at_its_time_once(monkeypatch):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr("superconnector.core.domain.mail.send_mail", broken)
    with transaction.atomic():
        queue_mail("amy@example.com", "Hello", "Body")
    run_worker()
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts) == ("queued", 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert abs(retry.run_after - queued.next_attempt_at) < dt.timedelta(seconds=1)
    monkeypatch.undo()

    run_worker()  # not due yet: nothing happens
    assert mail.outbox == []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    run_worker()
    run_worker()
    assert OutgoingMail.objects.get().status == "sent" and len(mail.outbox) == 1


def test_a_matching_run_stays_queued_until_a_worker_runs_it():
    event = EventFactory()
    with transaction.atomic():
        run = start_matching(event)
    assert MatchingRun.objects.get(pk=run.pk).status == "queued"
    run_worker()
    assert MatchingRun.objects.get(pk=run.pk).status == "done"


def test_the_worker_waits_out_a_locked_database_instead_of_dying(monkeypatch):
    """django-tasks-db opens its claiming transaction outside its own try: a database locked
    past the busy timeout (a big import writing) killed the worker, and mail stayed queued."""
    from django_tasks_db.management.commands import db_worker as package

    from superconnector.core.management.commands.db_worker import ResilientWorker

    real, locked = package.exclusive_transaction, [3]

    def busy_at_first(using=None):
        if locked[0]:
            locked[0] -= 1
            raise OperationalError("database is locked")
        return real(using)

    waits = []
    monkeypatch.setattr(package, "exclusive_transaction", busy_at_first)
    monkeypatch.setattr(ResilientWorker, "sleep", staticmethod(waits.append))
    with transaction.atomic():
        queue_mail("amy@example.com", "Hello", "Body")
    run_worker()
    assert OutgoingMail.objects.get().status == "sent" and len(mail.outbox) == 1
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]  # backing off


def test_other_database_errors_still_stop_the_worker(monkeypatch):
    from django_tasks_db.management.commands import db_worker as package

    def broken(using=None):
        raise OperationalError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(package, "exclusive_transaction", broken)
    with pytest.raises(OperationalError, match="no such table"):
        run_worker()


def test_an_upload_is_checked_and_imported_by_the_worker_not_the_request(django_user_model):
    from superconnector.backoffice.uploads import stage_import, start_apply
    from superconnector.directory.models import Participant
    from superconnector.exchange.models import StagedImport

    event = EventFactory()
    user = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    csv = b"name,email,organisation\nChan Tai Man,chan@example.com,Harbour Robotics\n"
    with transaction.atomic():
        staged = stage_import(event, user, "delegates.csv", csv)
    assert StagedImport.objects.get(pk=staged.pk).status == "queued"
    run_worker()
    staged.refresh_from_db()
    assert (staged.status, staged.ok, staged.report["tallies"]["participants"]["created"]) == (
        "done",
        True,
        1,
    )
    with transaction.atomic():
        assert start_apply(staged, user)
    assert not Participant.objects.filter(event=event).exists()
    run_worker()
    staged.refresh_from_db()
    assert staged.applied_at is not None and Participant.objects.filter(event=event).count() == 1
