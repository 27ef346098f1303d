"""The outbox: mail is saved with the change it reports and sent after commit, with retries.

This module queues mail; core/domain/mail.py sends it, run by the tasks in core/tasks.py.
Queueing starts a task, so it sits above core/tasks.py (which imports the sending), outside
core/domain (docs/architecture.md, "Inside an app").
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from superconnector.core.domain.mail import Attachment
from superconnector.core.models import OutgoingMail
from superconnector.core.tasks import send_outgoing_mail
from superconnector.core.validators import single_line


def in_language_of(user) -> translation.override:
    """Write what follows in a mail's reader's language: their account's choice, else the
    site's default (people without an account have not chosen one)."""
    return translation.override((user and user.locale) or settings.LANGUAGE_CODE)


def queue_mail(
    to: str,
    subject: str,
    body: str,
    *,
    event=None,
    kind: str = "",
    attachments: list[Attachment] | None = None,
) -> OutgoingMail:
    """Save a mail in the current transaction; a task sends it once the transaction commits.

    The subject is put on one line: names in it are refused with line breaks on every
    form, but one stored earlier (or by a path that forgot) must not make the mail fail.
    """
    mail = OutgoingMail.objects.create(
        to=to,
        subject=single_line(subject)[:300],
        body=body,
        event=event,
        kind=kind,
        attachments=[dict(a) for a in attachments or []],
    )
    transaction.on_commit(lambda: send_outgoing_mail.enqueue(mail.pk))
    return mail
