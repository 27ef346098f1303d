"""A delegate's own availability: the sessions they attend and the times they are away.

The scheduler reads the same rows (schedule.py, build_problem). Once the schedule is
published, a change that would take away the slot of a meeting already scheduled for the
delegate is refused: dropping the meeting silently would surprise both sides, and moving it
is re-planning's work, not this form's.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from superconnector.directory.models import Participant
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import MeetingSession
from superconnector.meetings.models import Availability, Meeting, RequestStatus, UnavailableBlock


class AvailabilityRefused(Exception):
    """The change is not saved; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Block:
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class AvailabilityState:
    session_ids: frozenset[int]
    blocks: tuple[Block, ...]


def availability_of(participant: Participant) -> AvailabilityState:
    """What the participant has chosen (without a row: every session, no blocked time)."""
    every = frozenset(participant.event.sessions.values_list("pk", flat=True))
    row = Availability.objects.filter(participant=participant).first()
    if row is None:
        return AvailabilityState(every, ())
    sessions = every if row.all_sessions else frozenset(s.pk for s in row.sessions.all())
    blocks = tuple(Block(b.starts_at, b.ends_at) for b in row.blocks.all())
    return AvailabilityState(sessions, blocks)


def save_availability(
    participant: Participant,
    *,
    session_ids: Iterable[int],
    blocks: Iterable[Block],
    actor=None,
) -> AvailabilityState:
    """Replace the participant's availability by `session_ids` and `blocks`, after checking
    them; raises AvailabilityRefused with the reason otherwise."""
    event = participant.event
    sessions = list(event.sessions.all())
    chosen = frozenset(session_ids)
    if not chosen <= {s.pk for s in sessions}:
        raise AvailabilityRefused(_("Choose sessions of this event."))
    ordered = sorted(blocks, key=lambda b: (b.starts_at, b.ends_at))
    _check_blocks(ordered, sessions, event.tzinfo)
    _refuse_conflicts_with_scheduled(participant, chosen, ordered)
    with transaction.atomic():
        row, _created = Availability.objects.get_or_create(participant=participant)
        row.all_sessions = chosen == {s.pk for s in sessions}
        row.save()
        row.sessions.set([] if row.all_sessions else sorted(chosen))
        row.blocks.all().delete()
        UnavailableBlock.objects.bulk_create(
            UnavailableBlock(availability=row, starts_at=b.starts_at, ends_at=b.ends_at)
            for b in ordered
        )
        record_audit(
            actor,
            "change",
            f"availability:{participant.key}",
            event=event,
            sessions="all" if row.all_sessions else sorted(chosen),
            blocks=[[b.starts_at.isoformat(), b.ends_at.isoformat()] for b in ordered],
        )
    return AvailabilityState(chosen, tuple(ordered))


def _check_blocks(blocks: list[Block], sessions: list[MeetingSession], tz) -> None:
    days = {s.date for s in sessions}
    for block in blocks:
        if block.ends_at <= block.starts_at:
            raise AvailabilityRefused(_("A blocked time must end after it starts."))
        start_day = block.starts_at.astimezone(tz).date()
        end_day = (block.ends_at - dt.timedelta(microseconds=1)).astimezone(tz).date()
        if start_day != end_day or start_day not in days:
            raise AvailabilityRefused(
                _("A blocked time must lie within one day on which the event has sessions.")
            )
    for earlier, later in itertools.pairwise(blocks):
        if later.starts_at < earlier.ends_at:
            raise AvailabilityRefused(
                _("Blocked times overlap: join them into one or change one of them.")
            )


def _refuse_conflicts_with_scheduled(
    participant: Participant, session_ids: frozenset[int], blocks: list[Block]
) -> None:
    """After publication, refuse a change that takes away a scheduled meeting's slot."""
    event = participant.event
    if event.schedule_published_at is None:
        return
    scheduled = (
        Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
        .filter(Q(request__sender=participant) | Q(request__recipient=participant))
        .select_related("slot")
        .order_by("slot__starts_at")
    )
    for meeting in scheduled:
        slot = meeting.slot
        away = slot.session_id not in session_ids or any(
            b.starts_at < slot.ends_at and slot.starts_at < b.ends_at for b in blocks
        )
        if away:
            moment = date_format(slot.starts_at.astimezone(event.tzinfo), "DATETIME_FORMAT")
            raise AvailabilityRefused(
                _(
                    "You already have a meeting scheduled at %(moment)s (table %(table)s). "
                    "The schedule is published, so this change is not saved: keep that time "
                    "free, or ask the organisers to move the meeting first."
                )
                % {"moment": moment, "table": meeting.table}
            )
