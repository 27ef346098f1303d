"""Sending the outbox (core/outbox.py queues mail): one mail at a time, each claimed by one
worker, with retries after a failure.

Sending never queues a task itself: whoever runs it (the tasks in core/tasks.py, the
`send_mail` command) passes `retry`, which queues the retry for its time.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import TypedDict

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.core.validators import single_line

logger = logging.getLogger(__name__)


class Attachment(TypedDict):
    """A text file sent with a mail (OutgoingMail.attachments holds these)."""

    filename: str
    content_type: str
    content: str


# Queues the retry of mail `id` for `when` (core/tasks.py's `queue_retry`).
Retry = Callable[[int, dt.datetime], None]
# Pauses before each retry; after the last one the mail is marked failed for an organiser.
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)


def deliver(mail_id: int, *, retry: Retry | None = None) -> bool:
    """Try to send one queued mail. True if it went out now; failures are rescheduled for
    the periodic sweep, and with `retry` queued for their time as well."""
    with transaction.atomic():
        # Claim the row so that two workers never send the same mail.
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutgoingMail.Status.QUEUED)
            .first()
        )
        if mail is None:
            return False
        try:
            # Headers on one line again, for mails queued before queue_mail() did it:
            # Django refuses a header with a line break, which no retry would change.
            _send(mail)
        except Exception as exc:  # SMTP down, refused, timed out: keep it and try later
            _reschedule(mail, exc, retry)
            return False
        mail.status, mail.sent_at = OutgoingMail.Status.SENT, timezone.now()
        mail.attempts += 1
        mail.save(update_fields=["status", "sent_at", "attempts"])
        return True


def _send(mail: OutgoingMail) -> None:
    subject, to = single_line(mail.subject), [single_line(mail.to, "")]
    if not mail.attachments:
        send_mail(subject, mail.body, settings.DEFAULT_FROM_EMAIL, to)
        return
    message = EmailMessage(subject, mail.body, settings.DEFAULT_FROM_EMAIL, to)
    for attachment in mail.attachments:
        message.attach(
            single_line(attachment["filename"], ""),
            attachment["content"],
            attachment["content_type"],
        )
    message.send()


def _reschedule(mail: OutgoingMail, exc: Exception, retry: Retry | None) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts > len(RETRY_PAUSES):
        mail.status = OutgoingMail.Status.FAILED
        logger.error("giving up on mail %s to %s: %s", mail.pk, mail.to, mail.last_error)
    else:
        mail.next_attempt_at = timezone.now() + RETRY_PAUSES[mail.attempts - 1]
        if retry is not None:
            transaction.on_commit(functools.partial(retry, mail.pk, mail.next_attempt_at))
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def send_due_mail(limit: int = 500, *, retry: Retry | None = None) -> int:
    """Send every queued mail whose time has come (the periodic sweep); returns how many went."""
    due = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk, retry=retry) for pk in list(due))
