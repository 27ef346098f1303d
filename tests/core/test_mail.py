"""The outbox: saved with the change, sent after commit, retried when SMTP is down, sent once."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from superconnector.core.domain.mail import RETRY_PAUSES, deliver, send_due_mail
from superconnector.core.models import OutgoingMail
from superconnector.core.outbox import queue_mail

pytestmark = pytest.mark.django_db(transaction=True)


def test_mail_is_sent_only_after_the_transaction_commits():
    with transaction.atomic():
        queue_mail("amy@example.com", "Hello", "Body")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail("amy@example.com", "Hello", "Body")
        raise RuntimeError("the change failed")
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_smtp_down_keeps_the_mail_and_a_later_sweep_sends_it_once(monkeypatch):
    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr("superconnector.core.domain.mail.send_mail", broken)
    queue_mail("amy@example.com", "Hello", "Body")
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMail.Status.QUEUED and queued.attempts == 1
    assert "connection refused" in queued.last_error
    assert queued.next_attempt_at > timezone.now() + RETRY_PAUSES[0] - dt.timedelta(seconds=5)
    monkeypatch.undo()
    assert send_due_mail() == 0  # not due yet
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert send_due_mail() == 1
    assert send_due_mail() == 0 and deliver(queued.pk) is False  # never twice
    assert len(mail.outbox) == 1


def test_after_the_last_retry_the_mail_is_marked_failed(monkeypatch):
    monkeypatch.setattr(
        "superconnector.core.domain.mail.send_mail",
        lambda *a, **k: (_ for _ in ()).throw(smtplib.SMTPRecipientsRefused({})),
    )
    queue_mail("nobody@example.com", "Hello", "Body")
    for _ in RETRY_PAUSES:
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        send_due_mail()
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.FAILED
