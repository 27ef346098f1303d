"""The check-in desk (works on a phone), badges, and no-shows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.backoffice.domain.badges import badges_pdf
from superconnector.backoffice.views.common import is_htmx, organiser_view, render_page
from superconnector.directory.domain.checkin import check_in, find_participants, undo_check_in
from superconnector.directory.models import Participant
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event, Right
from superconnector.meetings.domain.noshow import mark_absent, undo_absent


@organiser_view(Right.CHECK_IN, personal_data="participants")
def checkin(request: HttpRequest, event: Event) -> HttpResponse:
    query = request.GET.get("q", "")
    results = find_participants(event, query)
    context: dict[str, Any] = {"query": query, "results": results}
    if is_htmx(request):
        return render(request, "backoffice/_checkin_results.html", {"event": event, **context})
    counts = Participant.objects.filter(event=event)
    context.update(
        total=counts.count(),
        arrived=counts.filter(checked_in_at__isnull=False).count(),
        absent=counts.filter(absent=True).count(),
    )
    return render_page(request, "backoffice/checkin.html", event, "checkin", context)


ACTIONS = {"check_in", "undo", "absent", "present"}


@require_POST
@organiser_view(Right.CHECK_IN, personal_data="participant")
def checkin_action(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        Participant.objects.select_related("person", "event_organisation__organisation"),
        event=event,
        pk=pk,
    )
    action = request.POST.get("action", "")
    report = None
    if action == "check_in":
        check_in(participant)
    elif action == "undo":
        undo_check_in(participant)
    elif action == "absent":
        report = mark_absent(participant, actor=request.user)
    elif action == "present":
        undo_absent(participant)
    if report is not None:
        note = _(
            "%(name)s marked absent: %(freed)s meetings freed, %(offered)s offered to others."
        ) % {
            "name": participant.person.name,
            "freed": len(report.freed),
            "offered": len(report.offers),
        }
    else:
        note = ""
    if is_htmx(request):
        return render(
            request,
            "backoffice/_checkin_row.html",
            {"event": event, "p": participant, "note": note},
        )
    if note:
        messages.success(request, note)
    back = reverse("backoffice:checkin", kwargs={"slug": event.slug})
    return redirect(f"{back}?{urlencode({'q': request.POST.get('q', '')})}")


@organiser_view(Right.CHECK_IN)
def badges(request: HttpRequest, event: Event) -> HttpResponse:
    participants = (
        Participant.objects.filter(event=event)
        .select_related("person", "event_organisation__organisation")
        .order_by("event_organisation__organisation__name", "person__name")
    )
    one = request.GET.get("participant", "")
    if one:
        participants = participants.filter(pk=int(one) if one.isdigit() else 0)
    record_audit(request.user, "export", "export:badges", event=event, participant=one)
    response = HttpResponse(badges_pdf(event, participants), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-badges.pdf"'
    return response
