"""SMTP down: the mail waits with a retry time; once SMTP is back it goes out exactly once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.utils import timezone

from superconnector.core.domain.mail import RETRY_PAUSES, deliver, send_due_mail
from superconnector.core.models import OutgoingMail
from superconnector.core.outbox import queue_mail
from tests.trust.conftest import race

pytestmark = pytest.mark.django_db(transaction=True)


class DownBackend(EmailBackend):
    """An SMTP server that refuses connections."""

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


class SlowBackend(EmailBackend):
    """A working but slow SMTP server: two deliveries of one mail would overlap in it."""

    def send_messages(self, messages):
        threading.Event().wait(0.3)
        return super().send_messages(messages)


def test_smtp_down_then_back_sends_the_mail_exactly_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with transaction.atomic():
        queued = queue_mail("amy@example.com", "Your meeting", "At 10:00, table 4.")
    # The commit tried to send it at once (immediate task backend); SMTP refused.
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.QUEUED and queued.attempts == 1
    assert queued.last_error.startswith("ConnectionRefusedError")
    assert queued.next_attempt_at >= timezone.now() + RETRY_PAUSES[0] - dt.timedelta(seconds=5)
    assert mail.outbox == []

    settings.EMAIL_BACKEND = f"{__name__}.SlowBackend"
    assert send_due_mail() == 0  # not due yet: the retry time is respected
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    if connection.vendor == "postgresql":
        # Two workers pick the same mail at the same moment: the row lock lets one send.
        sent = [value for _, value in race([lambda: deliver(queued.pk)] * 2)]
    else:
        sent = [deliver(queued.pk), deliver(queued.pk)]  # SQLite serialises writers anyway

    assert sorted(sent) == [False, True]
    assert [m.to for m in mail.outbox] == [["amy@example.com"]]
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT and queued.attempts == 2
    assert send_due_mail() == 0 and len(mail.outbox) == 1
