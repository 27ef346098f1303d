"""The outbox: mail is saved with the change it reports and sent after commit, with retries."""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from superconnector.core.models import OutgoingMail
from superconnector.core.validators import single_line

logger = logging.getLogger(__name__)
# Pauses before each retry; after the last one the mail is marked failed for an organiser.
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)


def in_language_of(user) -> translation.override:
    """Write what follows in a mail's reader's language: their account's choice, else the
    site's default (people without an account have not chosen one)."""
    return translation.override((user and user.locale) or settings.LANGUAGE_CODE)


def queue_mail(to: str, subject: str, body: str, *, event=None, kind: str = "") -> OutgoingMail:
    """Save a mail in the current transaction; a task sends it once the transaction commits.

    The subject is put on one line: names in it are refused with line breaks on every
    form, but one stored earlier (or by a path that forgot) must not make the mail fail.
    """
    mail = OutgoingMail.objects.create(
        to=to, subject=single_line(subject)[:300], body=body, event=event, kind=kind
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(mail_id: int) -> None:
    from superconnector.core.tasks import send_outgoing_mail

    send_outgoing_mail.enqueue(mail_id)


def _enqueue_retry(mail_id: int, when: dt.datetime) -> None:
    """Queue the retry for its time, so that a task worker alone delivers it. A backend
    that cannot defer (the immediate one, in tests) leaves it to the periodic sweep."""
    from superconnector.core.tasks import send_outgoing_mail

    if send_outgoing_mail.get_backend().supports_defer:
        send_outgoing_mail.using(run_after=when).enqueue(mail_id)


def deliver(mail_id: int) -> bool:
    """Try to send one queued mail. True if it went out now; failures are rescheduled."""
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
            send_mail(
                single_line(mail.subject),
                mail.body,
                settings.DEFAULT_FROM_EMAIL,
                [single_line(mail.to, "")],
            )
        except Exception as exc:  # SMTP down, refused, timed out: keep it and try later
            _reschedule(mail, exc)
            return False
        mail.status, mail.sent_at = OutgoingMail.Status.SENT, timezone.now()
        mail.attempts += 1
        mail.save(update_fields=["status", "sent_at", "attempts"])
        return True


def _reschedule(mail: OutgoingMail, exc: Exception) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if mail.attempts > len(RETRY_PAUSES):
        mail.status = OutgoingMail.Status.FAILED
        logger.error("giving up on mail %s to %s: %s", mail.pk, mail.to, mail.last_error)
    else:
        mail.next_attempt_at = timezone.now() + RETRY_PAUSES[mail.attempts - 1]
        transaction.on_commit(functools.partial(_enqueue_retry, mail.pk, mail.next_attempt_at))
    mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def send_due_mail(limit: int = 500) -> int:
    """Send every queued mail whose time has come (the periodic sweep); returns how many went."""
    due = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk) for pk in list(due))
