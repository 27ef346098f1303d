"""Starting bulk mailings in the background once the organiser confirmed their count: the
invitations, and the publication of the schedule with its agenda mails (the work is in
directory/domain/invitations.py and meetings/domain/publication.py; the tasks, which this
module queues, call it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from superconnector.backoffice import tasks
from superconnector.core.domain.runs import expire_if_stale, start_run
from superconnector.core.models import BulkMailing, MailingKind, User
from superconnector.events.models import Event


def start_invitations(
    event: Event, user: User | AnonymousUser, participant_ids: Iterable[int], *, base_url: str
) -> BulkMailing:
    """Queue the invitations of exactly these participants (the ones whose count the
    organiser confirmed). RunAlreadyActive if a mailing of the event is queued or running:
    a second click must not send twice."""
    return start_run(
        BulkMailing,
        event,
        tasks.send_invitations.enqueue,
        refuse_if_active=True,
        kind=MailingKind.INVITATIONS,
        recipients=sorted(set(participant_ids)),
        created_by=_account(user),
        base_url=base_url,
    )


def start_publication(
    event: Event, user: User | AnonymousUser, participant_ids: Iterable[int]
) -> BulkMailing:
    """Queue the publication of the schedule and the agenda mails of exactly these
    participants (as start_invitations)."""
    return start_run(
        BulkMailing,
        event,
        tasks.publish_and_mail_agendas.enqueue,
        refuse_if_active=True,
        kind=MailingKind.AGENDAS,
        recipients=sorted(set(participant_ids)),
        created_by=_account(user),
    )


def latest_mailing(event: Event, kind: str) -> BulkMailing | None:
    """The event's last mailing of this kind, for its page; a stale one (its worker died)
    is marked failed first, so that it does not show as running for ever."""
    latest = BulkMailing.objects.filter(event=event, kind=kind).first()
    if latest is not None:
        expire_if_stale(latest)
    return latest


def _account(user: User | AnonymousUser) -> User | None:
    """Who started the mailing, for the run and the audit log (nobody, from a script)."""
    return user if isinstance(user, User) else None
