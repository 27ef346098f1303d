"""A bulk mailing's progress on the page that started it (invitations, publication): how
many of the confirmed mails are sent, then who was left out or failed, and why. The
card is a fragment that htmx polls while the mailing runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.backoffice.views.common import organiser_view
from superconnector.core.models import BulkMailing
from superconnector.directory.models import Participant
from superconnector.events.models import Event, Right

FINISHED = ("done", "failed")
# A worker polls every second: a mailing still queued after this has nobody to send it.
WORKER_WAIT = dt.timedelta(minutes=1)
# Why a confirmed recipient got no mail (the codes the work functions store).
LEFT_OUT_REASONS = {
    "erased": gettext_lazy("erased"),
    "disabled": gettext_lazy("the account is disabled"),
    "account": gettext_lazy(
        "linked to an account whose address differs, or their address is another "
        "account's; nothing is sent until platform staff correct it"
    ),
    "gone": gettext_lazy("no longer a delegate of this event"),
    "not_affected": gettext_lazy("their agenda no longer changes (or they are absent)"),
}
# How many people left out or failed the card names; the rest are counted.
SHOWN_PEOPLE = 20


def mailing_context(event: Event, run: BulkMailing | None) -> dict[str, Any] | None:
    """What the progress card shows of `run`; None without a mailing."""
    if run is None:
        return None
    stats = run.stats or {}
    total = stats.get("total", len(run.recipients))
    # While it runs, the progress is the share of recipients done (the figures come at
    # the end); a mailing that stopped half-way has only that share too.
    done = round(run.progress * total)
    return {
        "event": event,
        "run": run,
        "finished": run.status in FINISHED,
        "total": total,
        "done": done,
        "sent": stats.get("sent", done),
        "percent": round(100 * (1.0 if run.status == "done" else run.progress)),
        "no_worker": run.status == "queued" and timezone.now() - run.created_at > WORKER_WAIT,
        "left_out": _people(event, stats.get("left_out", []), LEFT_OUT_REASONS),
        "failed": _people(event, stats.get("failed", []), {}),
        "url": reverse("backoffice:mailing-progress", kwargs={"slug": event.slug, "pk": run.pk}),
    }


def _people(event: Event, entries: list[dict], reasons: dict) -> dict[str, Any]:
    """The first SHOWN_PEOPLE entries with the participant's key and name, and the rest
    counted. A failure's reason is the exception's type, shown as it is."""
    shown = entries[:SHOWN_PEOPLE]
    participants = Participant.objects.filter(
        event=event, pk__in=[entry["participant"] for entry in shown]
    ).select_related("person")
    by_id = {participant.pk: participant for participant in participants}
    rows = []
    for entry in shown:
        participant = by_id.get(entry["participant"])
        rows.append(
            {
                "key": participant.key if participant else "",
                "name": participant.person.name if participant else _("(deleted)"),
                "reason": reasons.get(entry["reason"], entry["reason"]),
            }
        )
    return {"rows": rows, "more": len(entries) - len(shown), "count": len(entries)}


@organiser_view(Right.VIEW)
def mailing_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    run = get_object_or_404(BulkMailing, event=event, pk=pk)
    return render(request, "backoffice/_mailing_progress.html", mailing_context(event, run))
