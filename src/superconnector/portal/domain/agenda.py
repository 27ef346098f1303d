"""A delegate's agenda page: their meetings, the outcome they reported and business cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from superconnector.directory.domain.visibility import visible_participants
from superconnector.directory.models import Participant
from superconnector.meetings.domain.agenda import AgendaItem, agenda_for
from superconnector.meetings.domain.contacts import accepted_counterpart_ids
from superconnector.meetings.models import Meeting, MeetingOutcome


@dataclass
class AgendaRow:
    item: AgendaItem
    meeting_id: int
    counterpart_id: int
    outcome: MeetingOutcome | None
    started: bool


def schedule_is_published(participant: Participant) -> bool:
    return participant.event.schedule_published_at is not None


def agenda_rows(participant: Participant, *, now: dt.datetime | None = None) -> list[AgendaRow]:
    """The participant's meetings in time order (empty until the schedule is published)."""
    if not schedule_is_published(participant):
        return []
    now = now or timezone.now()
    items = agenda_for(participant)
    meetings = {
        key: (pk, sender, recipient, starts_at)
        for pk, key, sender, recipient, starts_at in Meeting.objects.filter(
            event_id=participant.event_id, request__key__in=[i.request for i in items]
        ).values_list(
            "pk", "request__key", "request__sender_id", "request__recipient_id", "slot__starts_at"
        )
    }
    outcomes = {
        o.meeting_id: o
        for o in MeetingOutcome.objects.filter(
            reported_by=participant, meeting_id__in=[m[0] for m in meetings.values()]
        )
    }
    rows = []
    for item in items:
        pk, sender, recipient, starts_at = meetings[item.request]
        rows.append(
            AgendaRow(
                item=item,
                meeting_id=pk,
                counterpart_id=recipient if sender == participant.pk else sender,
                outcome=outcomes.get(pk),
                started=starts_at <= now,
            )
        )
    return rows


def business_cards(participant: Participant) -> list[Participant]:
    """Everyone with whom the participant has an accepted meeting and who may still be named
    to them (directory/domain/visibility.py): their cards are shared."""
    return list(
        visible_participants(participant)
        .filter(pk__in=accepted_counterpart_ids(participant))
        .select_related("person", "event_organisation__organisation")
        .order_by("person__name", "pk")
    )


def meeting_for_outcome(participant: Participant, meeting_id: int) -> Meeting | None:
    """The participant's own meeting, or None (others' meetings look like missing ones)."""
    return (
        Meeting.objects.filter(
            event_id=participant.event_id, pk=meeting_id, seats__participant=participant
        )
        .select_related(
            "slot",
            "request__sender__person",
            "request__recipient__person",
            "request__sender__event_organisation__organisation",
            "request__recipient__event_organisation__organisation",
        )
        .first()
    )
