"""What two organisations have already done together, across events ("met before")."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from superconnector.directory.models import Organisation
from superconnector.events.models import Event
from superconnector.meetings.models import MeetingRequest, RequestStatus


@dataclass(frozen=True)
class PastMeetings:
    """Accepted meetings between two organisations at one event."""

    event: Event
    count: int


def find_meetings_between(mine: Organisation, theirs: Organisation) -> list[PastMeetings]:
    """Events where people of the two organisations had an accepted meeting, latest first.

    Organisations are platform-wide, so this spans every event; only the events and counts
    are returned, never who met whom, since the viewer may not see every colleague's diary.
    """
    if mine.pk == theirs.pk:
        return []
    between = Q(
        sender_organisation__organisation=mine, recipient_organisation__organisation=theirs
    ) | Q(sender_organisation__organisation=theirs, recipient_organisation__organisation=mine)
    counts: dict[int, int] = {}
    for event_id in (
        MeetingRequest.objects.filter(between, status=RequestStatus.ACCEPTED)
        .values_list("event_id", flat=True)
        .order_by()
    ):
        counts[event_id] = counts.get(event_id, 0) + 1
    events = Event.objects.filter(pk__in=counts).order_by("-starts_on", "pk")
    return [PastMeetings(event, counts[event.pk]) for event in events]
