"""Publishing an event's schedule (the back office does), remembering what was announced.

From the back office, the publication is a bulk mailing run in the background
(publication_work, started by backoffice/mailings.py once the organiser confirmed the
count): the schedule is published, then each confirmed delegate is mailed in turn, and the
publication's snapshot records as announced only what was mailed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from superconnector.core.domain.mailings import audit_figures, send_each
from superconnector.core.domain.runs import Progress
from superconnector.core.models import BulkMailing
from superconnector.directory.models import Participant
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event
from superconnector.meetings.domain.publish import (
    PublishReport,
    affected_participants,
    mail_recipients,
    mark_published,
    publish_schedule,
    queue_agenda_mail,
    with_unannounced,
)
from superconnector.meetings.models import SchedulePublication

# Why a confirmed delegate was not mailed: their agenda no longer changes (a meeting moved
# back between the confirmation and the run), or they became absent or were erased.
NOT_AFFECTED = "not_affected"


def last_publication(event: Event) -> SchedulePublication | None:
    return SchedulePublication.objects.filter(event=event).first()


def affected_ids(event: Event) -> list[int]:
    """The participants publishing now would e-mail (the ones the organiser confirms)."""
    previous = last_publication(event)
    return sorted(
        int(pk) for pk in affected_participants(event, previous.snapshot if previous else None)
    )


def count_affected(event: Event) -> int:
    """How many delegates publishing now would e-mail."""
    return len(affected_ids(event))


@transaction.atomic
def publish_event_schedule(event: Event, user, *, now: dt.datetime | None = None) -> PublishReport:
    previous = last_publication(event)
    report = publish_schedule(event, previous=previous.snapshot if previous else None, now=now)
    SchedulePublication.objects.create(
        event=event,
        published_by=user if getattr(user, "is_authenticated", False) else None,
        published_at=report.published_at,
        snapshot=report.snapshot,
        mailed=report.mailed,
    )
    return report


def publication_work(run: BulkMailing, progress: Progress) -> dict[str, Any]:
    """The work of a publication's bulk mailing: publish, mail each confirmed delegate
    whose agenda is new or changed (each mail in its own transaction, the count on the run
    as they go), then store the publication and record the send in the audit log.

    The publication is stored last, with the agendas of those not mailed (a mail failed,
    or their agenda changed only after the confirmation) as they were last announced: the
    next publication mails them, instead of taking them for told. A worker that dies
    half-way stores none, and the next publication mails everyone again."""
    event = run.event
    previous = last_publication(event)
    before = previous.snapshot if previous else None
    with transaction.atomic():
        report = mark_published(event, previous=before)
    affected = {p.pk: p for p in mail_recipients(event, report.changes)}
    confirmed = Participant.objects.filter(event=event, pk__in=run.recipients).select_related(
        "person__user", "event_organisation__organisation"
    )

    def send(participant: Participant) -> str | None:
        if participant.pk not in affected:
            return NOT_AFFECTED
        queue_agenda_mail(participant, report)
        return None

    stats = send_each(run, {p.pk: p for p in confirmed}, send, progress)
    unmailed = {item["participant"] for item in stats["failed"]} | (
        set(affected) - set(run.recipients)
    )
    stats["not_confirmed"] = len(set(affected) - set(run.recipients))
    SchedulePublication.objects.create(
        event=event,
        published_by=run.created_by,
        published_at=report.published_at,
        snapshot=with_unannounced(report.snapshot, before, [str(pk) for pk in unmailed]),
        mailed=stats["sent"],
    )
    record_audit(
        run.created_by, "send", "agendas", event=event, mailing=run.pk, **audit_figures(stats)
    )
    return stats
