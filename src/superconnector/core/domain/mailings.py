"""Sending a bulk mailing (core/models/mailing.py) one recipient at a time: each mail is
queued in its own transaction, so one that fails is reported and the others still go, and
the page that follows the run sees the count rise as they do.

Each kind (invitations, agenda mails) supplies what to send to one recipient; its work
function in its own app calls send_each and records the send in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import transaction

from superconnector.core.domain.runs import Progress
from superconnector.core.models import BulkMailing

logger = logging.getLogger(__name__)

Recipient = TypeVar("Recipient")
# send(recipient) queues the mail and returns None, or returns why it was left out (a code).
Send = Callable[[Recipient], str | None]

SENDING = "sending"
# A confirmed recipient no longer in the event (deleted with their organisation, say).
GONE = "gone"


def send_each(
    run: BulkMailing,
    recipients: Mapping[int, Recipient],
    send: Send[Recipient],
    progress: Progress,
) -> dict[str, Any]:
    """Call send() for each participant id of `run.recipients`, in order, each once, and
    return the figures: total, sent, and who was left out or failed, by id and code.

    A failure is the exception's type only (its message may quote an address, and the
    statistics outlive erasure); the server log has the whole traceback."""
    ids = list(dict.fromkeys(run.recipients))  # once each, whatever the list holds
    stats: dict[str, Any] = {"total": len(ids), "sent": 0, "left_out": [], "failed": []}
    progress(SENDING, 0.0)
    for done, participant_id in enumerate(ids, start=1):
        recipient = recipients.get(participant_id)
        if recipient is None:
            stats["left_out"].append({"participant": participant_id, "reason": GONE})
        else:
            try:
                with transaction.atomic():
                    reason = send(recipient)
            except Exception as exc:
                logger.exception("Bulk mailing %s: participant %s failed", run.pk, participant_id)
                stats["failed"].append(
                    {"participant": participant_id, "reason": type(exc).__name__}
                )
            else:
                if reason:
                    stats["left_out"].append({"participant": participant_id, "reason": reason})
                else:
                    stats["sent"] += 1
        progress(SENDING, done / len(ids))
    return stats


def audit_figures(stats: dict[str, Any]) -> dict[str, int]:
    """What the audit log keeps of a mailing: counts, no ids (the log outlives the run)."""
    return {
        "recipients": stats["total"],
        "sent": stats["sent"],
        "left_out": len(stats["left_out"]),
        "failed": len(stats["failed"]),
    }
