"""A delegate's meeting requests: what they received and sent, and whom they may ask."""

from __future__ import annotations

from dataclasses import dataclass

from superconnector.directory.domain.visibility import nameable_ids, requestable_participants
from superconnector.directory.models import Participant
from superconnector.meetings.models import MeetingRequest


@dataclass
class RequestLists:
    inbox: list[MeetingRequest]
    outbox: list[MeetingRequest]


def requests_of(participant: Participant) -> RequestLists:
    rows = MeetingRequest.objects.select_related(
        "sender__person",
        "recipient__person",
        "sender__event_organisation__organisation",
        "recipient__event_organisation__organisation",
    ).order_by("-created_at", "-pk")
    inbox = list(rows.filter(recipient=participant))
    outbox = list(rows.filter(sender=participant))
    # A request stays in the lists after its other side left the listings (it was closed
    # then, see meetings/domain/unlisting.py), but they are no longer named: `withheld`.
    named = nameable_ids(
        participant, {r.sender_id for r in inbox} | {r.recipient_id for r in outbox}
    )
    for request in inbox:
        request.withheld = request.sender_id not in named
    for request in outbox:
        request.withheld = request.recipient_id not in named
    return RequestLists(inbox=inbox, outbox=outbox)


def request_of(participant: Participant, pk: int) -> MeetingRequest | None:
    """One of the participant's own requests (sent or received), else None."""
    request = (
        MeetingRequest.objects.select_related("sender__person", "recipient__person", "event")
        .filter(event_id=participant.event_id, pk=pk)
        .first()
    )
    if request is None or participant.pk not in (request.sender_id, request.recipient_id):
        return None
    return request


def possible_recipients(
    participant: Participant, *, to: str = "", organisation: str = ""
) -> list[Participant]:
    """The delegates the participant may ask (directory/domain/visibility.py), named by key
    (`to`) or of an organisation (its key): the request form is reached from the directory
    and the recommendations, never a list of all."""
    rows = (
        requestable_participants(participant)
        .select_related("person", "event_organisation__organisation")
        .order_by("person__name")
    )
    if to:
        return list(rows.filter(key=to))
    if organisation:
        return list(rows.filter(event_organisation__key=organisation))
    return []
