"""The outbox: mail is saved with the change it reports and sent after commit, with retries.

This module queues mail; core/domain/mail.py sends it, run by the tasks in core/tasks.py.
Queueing starts a task, so it sits above core/tasks.py (which imports the sending), outside
core/domain (docs/architecture.md, "Inside an app"). Mails are composed in their reader's
language before they are queued: the rule is directory/domain/languages.py's.
"""

from __future__ import annotations

from django.db import transaction

from superconnector.core.domain.mail import Attachment
from superconnector.core.models import OutgoingMail
from superconnector.core.tasks import send_outgoing_mail
from superconnector.core.validators import single_line


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
