"""Publishing the schedule: delegates see their agenda from then, and each affected delegate
is e-mailed theirs (or, after a re-plan, what changed since the last publication).

What was published is kept by the caller as a snapshot (participant -> their meetings);
passing the previous snapshot back is what turns the next publication into a list of
changes. The mails go through the outbox, in the same transaction as the publication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.domain.mail import Attachment
from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.models import Participant
from superconnector.events.domain.times import event_time_text, time_range_text
from superconnector.events.models import Event
from superconnector.meetings.domain.agenda import (
    AgendaItem,
    agendas_by_participant,
    calendar_for,
)
from superconnector.meetings.domain.links import agenda_page_url

# participant pk (as text, JSON keys) -> request key -> [start ISO, table, counterpart, organisation]
Snapshot = dict[str, dict[str, list[str]]]


@dataclass
class AgendaChange:
    kind: str  # "added", "removed", "moved" (another time) or "table" (same time, other table)
    request: str
    before: list[str] | None
    after: list[str] | None


@dataclass
class PublishReport:
    published_at: dt.datetime
    snapshot: Snapshot
    mailed: int = 0
    first: bool = True
    changes: dict[str, list[AgendaChange]] = field(default_factory=dict)
    # participant pk -> their agenda as published
    agendas: dict[int, list[AgendaItem]] = field(default_factory=dict)


def agenda_snapshot(agendas: dict[int, list[AgendaItem]]) -> Snapshot:
    return {
        str(pk): {
            item.request: [
                item.starts_at.isoformat(),
                item.table,
                item.counterpart,
                item.counterpart_organisation,
            ]
            for item in items
        }
        for pk, items in agendas.items()
        if items
    }


def changes_since(previous: Snapshot, current: Snapshot) -> dict[str, list[AgendaChange]]:
    """Per participant, the meetings added, moved to another time (the table may change
    too), moved to another table only, and removed."""
    changes: dict[str, list[AgendaChange]] = {}
    for pk in sorted(set(previous) | set(current)):
        before, after = previous.get(pk, {}), current.get(pk, {})
        items = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if old is None:
                items.append(AgendaChange("added", key, None, new))
            elif new is None:
                items.append(AgendaChange("removed", key, old, None))
            elif old[:2] != new[:2]:
                kind = "table" if old[0] == new[0] else "moved"
                items.append(AgendaChange(kind, key, old, new))
        if items:
            changes[pk] = items
    return changes


def changes_to_announce(
    previous: Snapshot | None, current: Snapshot
) -> dict[str, list[AgendaChange]]:
    """The first publication announces every meeting; later ones only what changed."""
    if previous is None:
        return {
            pk: [AgendaChange("added", key, None, value) for key, value in meetings.items()]
            for pk, meetings in current.items()
        }
    return changes_since(previous, current)


def affected_participants(event: Event, previous: Snapshot | None) -> dict[str, list]:
    """Who publishing now would e-mail, and why; writes nothing (for the preview)."""
    absent = {
        str(pk)
        for pk in Participant.objects.filter(
            Q(absent=True) | Q(person__erased_at__isnull=False), event=event
        ).values_list("pk", flat=True)
    }
    changes = changes_to_announce(previous, agenda_snapshot(agendas_by_participant(event)))
    return {pk: items for pk, items in changes.items() if pk not in absent}


@transaction.atomic
def publish_schedule(
    event: Event, *, previous: Snapshot | None = None, now: dt.datetime | None = None
) -> PublishReport:
    """Mark the schedule published and queue one mail per delegate whose agenda is new or
    changed since `previous` (the snapshot of the last publication; None the first time)."""
    report = mark_published(event, previous=previous, now=now)
    for participant in mail_recipients(event, report.changes):
        queue_agenda_mail(participant, report)
        report.mailed += 1
    return report


def mark_published(
    event: Event, *, previous: Snapshot | None = None, now: dt.datetime | None = None
) -> PublishReport:
    """Mark the schedule published (delegates see their agendas from now) and work out
    what changed since `previous`; mails nobody (queue_agenda_mail does, per delegate)."""
    now = now or timezone.now()
    agendas = agendas_by_participant(event)
    current = agenda_snapshot(agendas)
    changes = changes_to_announce(previous, current)
    event.schedule_published_at = now
    event.save(update_fields=["schedule_published_at", "updated_at"])
    return PublishReport(now, current, first=previous is None, changes=changes, agendas=agendas)


def mail_recipients(event: Event, changes: dict[str, list[AgendaChange]]) -> QuerySet[Participant]:
    """Whom the changes are mailed to: nobody mails a no-show, or an erased person (their
    address is a placeholder)."""
    return (
        Participant.objects.filter(
            event=event,
            pk__in=[int(pk) for pk in changes],
            absent=False,
            person__erased_at__isnull=True,
        )
        .select_related("person__user", "event_organisation__organisation")
        .order_by("pk")
    )


def queue_agenda_mail(participant: Participant, report: PublishReport) -> None:
    """Queue the participant's agenda mail (their changes first after a re-plan), in their
    language, with the calendar file."""
    event = participant.event
    agenda = report.agendas.get(participant.pk, [])
    with in_language_of_participant(participant):
        subject, body = _agenda_mail(event, participant, agenda, report.changes, report.first)
    queue_mail(
        participant.person.email,
        subject,
        body,
        event=event,
        kind="agenda",
        attachments=_calendar_file(participant, agenda),
    )


def with_unannounced(
    current: Snapshot, previous: Snapshot | None, unannounced: Iterable[str]
) -> Snapshot:
    """The snapshot to keep when the participants `unannounced` were not mailed (a mail
    failed, or they were not among the confirmed recipients): their agendas as last
    announced, so that the next publication mails them what changed."""
    kept = dict(current)
    for pk in unannounced:
        if previous is not None and pk in previous:
            kept[pk] = previous[pk]
        else:
            kept.pop(pk, None)
    return kept


def _calendar_file(participant: Participant, agenda: list[AgendaItem]) -> list[Attachment]:
    """The agenda as a calendar file to open in any calendar (the same as the portal's
    feed, so importing both does not double the meetings: the UIDs are the same)."""
    if not agenda:
        return []
    return [
        Attachment(
            filename=f"{participant.event.slug}-agenda.ics",
            content_type="text/calendar; charset=utf-8",
            content=calendar_for(participant).decode("utf-8"),
        )
    ]


def _agenda_mail(
    event: Event,
    participant: Participant,
    agenda: list[AgendaItem],
    changes: dict[str, list[AgendaChange]],
    first: bool,
) -> tuple[str, str]:
    if first:
        subject = _("Your meeting agenda for %(event)s") % {"event": display_name(event)}
        lines = [_("Dear %(name)s,") % {"name": participant.person.name}, ""]
        lines.append(
            _("The meeting schedule for %(event)s is out.") % {"event": display_name(event)}
        )
    else:
        subject = _("Your agenda for %(event)s has changed") % {"event": display_name(event)}
        lines = [_("Dear %(name)s,") % {"name": participant.person.name}, ""]
        lines.append(_("Your meetings changed since the last schedule:"))
        for change in changes.get(str(participant.pk), []):
            line = _change_line(event, change)
            if line:
                lines.append(line)
    lines += ["", _("Your agenda:")]
    if not agenda:
        lines.append(_("You have no meetings scheduled."))
    for item in agenda:
        place = _("table %(table)s") % {"table": item.table}
        if item.location:
            place += f", {item.location}"
        lines.append(
            f"- {time_range_text(event, item.starts_at, item.ends_at)}, {place}: "
            f"{item.counterpart} ({item.counterpart_organisation})"
        )
    lines += ["", _("Your agenda online, with its calendar file:"), agenda_page_url(event)]
    return subject, "\n".join(lines)


def _change_line(event: Event, change: AgendaChange) -> str:
    """One change as the delegate reads it, saying exactly what moved: the time (and the
    table with it, if so), or only the table."""
    shown = change.after or change.before
    if shown is None:  # a change has a before, an after or both
        return ""
    labels = {
        "added": _("New"),
        "moved": _("Moved to another time"),
        "table": _("Same time, another table"),
        "removed": _("Cancelled"),
    }
    when = _moment(shown[0], event)
    table = _("table %(table)s") % {"table": shown[1]}
    before = change.before
    if change.kind == "moved" and before is not None:
        when = f"{_moment(before[0], event)} → {when}"
        if before[1] != shown[1]:
            table = _("table %(before)s → table %(after)s") % {
                "before": before[1],
                "after": shown[1],
            }
    elif change.kind == "table" and before is not None:
        table = _("table %(before)s → table %(after)s") % {"before": before[1], "after": shown[1]}
    return f"- {labels[change.kind]}: {when}, {table}, {shown[2]} ({shown[3]})"


def _moment(iso: str, event: Event) -> str:
    return event_time_text(event, dt.datetime.fromisoformat(iso))
