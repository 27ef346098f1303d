"""My availability: the sessions I attend and the times I am away (rules in
meetings/domain/availability.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from superconnector.meetings.domain.availability import (
    AvailabilityRefused,
    Block,
    availability_of,
    save_availability,
)
from superconnector.portal.forms import AvailabilityForm
from superconnector.portal.views.common import delegate_view, render_page


@delegate_view
def availability(request: HttpRequest, event, participant) -> HttpResponse:
    tz = event.tzinfo
    state = availability_of(participant)
    sessions = list(event.sessions.all())
    blocks = list(state.blocks)
    form = AvailabilityForm(
        request.POST or None,
        initial={"sessions": sorted(state.session_ids)},
        sessions=[(s.pk, _session_label(s)) for s in sessions],
        blocks=[(i, _block_label(b, tz)) for i, b in enumerate(blocks)],
        days=[
            (d.isoformat(), date_format(d, "DATE_FORMAT"))
            for d in sorted({s.date for s in sessions})
        ],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kept = [b for i, b in enumerate(blocks) if i not in set(data.get("remove", []))]
        if data["day"]:
            day = dt.date.fromisoformat(data["day"])
            kept.append(
                Block(
                    dt.datetime.combine(day, data["block_from"], tzinfo=tz),
                    dt.datetime.combine(day, data["block_to"], tzinfo=tz),
                )
            )
        try:
            save_availability(
                participant, session_ids=data["sessions"], blocks=kept, actor=request.user
            )
        except AvailabilityRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("portal:availability", slug=event.slug)
    return render_page(
        request,
        "portal/availability.html",
        participant,
        "agenda",
        {"form": form, "published": event.schedule_published_at is not None},
        status=400 if form.errors else 200,
    )


def _session_label(session) -> str:
    day = date_format(session.date, "DATE_FORMAT")
    return f"{day} {session.start:%H:%M}–{session.end:%H:%M}" + (
        f" · {session.location}" if session.location else ""
    )


def _block_label(block: Block, tz) -> str:
    start = block.starts_at.astimezone(tz)
    return f"{date_format(start.date(), 'DATE_FORMAT')} {start:%H:%M}–{block.ends_at.astimezone(tz):%H:%M}"
