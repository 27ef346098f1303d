"""What came of a meeting, as each side reports it, for follow-up and the organiser's reports."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.directory.models import Participant
from superconnector.meetings.models import Meeting, MeetingOutcome, OutcomeKind, RequestStatus

# Outcomes that can carry a deal value; the others are about the relationship only.
VALUED_KINDS = frozenset({OutcomeKind.AGREEMENT, OutcomeKind.INVESTMENT, OutcomeKind.LICENCE})
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class OutcomeRefused(Exception):
    """The outcome cannot be recorded; `code` says which rule, the message says it plainly."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def record_outcome(
    meeting: Meeting,
    *,
    by: Participant,
    kind: str,
    value: Decimal | None = None,
    currency: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> MeetingOutcome:
    """Record (or correct) `by`'s account of the meeting: one outcome per side."""
    now = now or timezone.now()
    if kind not in OutcomeKind.values:
        raise OutcomeRefused("kind", _("Choose one of the listed outcomes."))
    if not meeting.seats.filter(participant=by).exists():
        raise OutcomeRefused("not_party", _("Only the people in a meeting can report on it."))
    if meeting.request.status != RequestStatus.ACCEPTED:
        raise OutcomeRefused("cancelled", _("This meeting was cancelled."))
    if meeting.slot.starts_at > now:
        raise OutcomeRefused("not_yet", _("You can report on a meeting once it has started."))
    if value is not None and kind not in VALUED_KINDS:
        raise OutcomeRefused(
            "value_not_allowed",
            _("A value belongs to an agreement, an investment or a licence."),
        )
    if value is not None and value < 0:
        raise OutcomeRefused("negative", _("The value cannot be negative."))
    currency = (currency or "").strip().upper()
    if value is None:
        currency = ""
    elif not _CURRENCY.match(currency):
        raise OutcomeRefused("currency", _("Give the currency as a three-letter code (HKD, CNY)."))
    with transaction.atomic():
        outcome, _created = MeetingOutcome.objects.update_or_create(
            meeting=meeting,
            reported_by=by,
            defaults={"kind": kind, "value": value, "currency": currency, "note": note.strip()},
        )
    return outcome
