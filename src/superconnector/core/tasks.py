"""Background work of core: sending the outbox (core/domain/mail.py does the work)."""

import datetime as dt

from django_tasks import task

from superconnector.core.domain.mail import deliver
from superconnector.core.domain.mail import send_due_mail as sweep


@task()
def send_outgoing_mail(mail_id: int) -> bool:
    return deliver(mail_id, retry=queue_retry)


@task()
def send_due_mail() -> int:
    return sweep(retry=queue_retry)


def queue_retry(mail_id: int, when: dt.datetime) -> None:
    """Queue the retry for its time, so that a task worker alone delivers it. A backend
    that cannot defer (the immediate one, in tests) leaves it to the periodic sweep."""
    if send_outgoing_mail.get_backend().supports_defer:
        send_outgoing_mail.using(run_after=when).enqueue(mail_id)
