"""Checking delegates in at the door: badge tokens, finding a delegate, check-in and undo.

The badge's QR code carries a signed token naming the participant and the event, so a
scanner at the desk (which types what it reads) finds the person without a lookup table,
and a token cannot be forged or reused at another event.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone

from superconnector.directory.models import Participant
from superconnector.events.models import Event

BADGE_SALT = "superconnector.badge"
_TOKEN_BODY = re.compile(r"^e(\d+)p(\d+)$")


def badge_token(participant: Participant) -> str:
    """A short signed token for the participant's badge QR code."""
    return signing.Signer(salt=BADGE_SALT).sign(f"e{participant.event_id}p{participant.pk}")


def participant_for_token(event: Event, token: str) -> Participant | None:
    """The event's participant a badge token names; None if forged, garbled or elsewhere."""
    try:
        body = signing.Signer(salt=BADGE_SALT).unsign(token.strip())
    except signing.BadSignature:
        return None
    match = _TOKEN_BODY.match(body)
    if not match or int(match.group(1)) != event.pk:
        return None
    return _with_details(Participant.objects.filter(event=event, pk=int(match.group(2)))).first()


def _with_details(queryset: QuerySet[Participant]) -> QuerySet[Participant]:
    return queryset.select_related("person__user", "event_organisation__organisation")


def find_participants(event: Event, query: str, *, limit: int = 25) -> list[Participant]:
    """Delegates matching a badge token, or a name (Latin or Chinese), organisation or e-mail
    fragment."""
    query = query.strip()
    if not query:
        return []
    if ":" in query:
        found = participant_for_token(event, query)
        if found is not None:
            return [found]
    matches = Q(person__name__icontains=query) | Q(person__email__icontains=query)
    matches |= Q(person__name_zh__icontains=query)
    matches |= Q(event_organisation__organisation__name__icontains=query)
    matches |= Q(event_organisation__organisation__name_zh__icontains=query) | Q(key=query)
    return list(
        _with_details(Participant.objects.filter(event=event).filter(matches)).order_by(
            "person__name", "pk"
        )[:limit]
    )


def check_in(participant: Participant, *, now: dt.datetime | None = None) -> Participant:
    """Record arrival; checking in someone marked absent means they came after all.

    Checking in twice keeps the first time: that is when they arrived.
    """
    fields = []
    if participant.checked_in_at is None:
        participant.checked_in_at = now or timezone.now()
        fields.append("checked_in_at")
    if participant.absent:
        participant.absent = False
        fields.append("absent")
    if fields:
        participant.save(update_fields=[*fields, "updated_at"])
    return participant


def undo_check_in(participant: Participant) -> Participant:
    """Take back a check-in made by mistake (the wrong person at the desk)."""
    if participant.checked_in_at is not None:
        participant.checked_in_at = None
        participant.save(update_fields=["checked_in_at", "updated_at"])
    return participant
