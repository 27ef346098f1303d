"""Organiser teams of an event (their members and rights), and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from superconnector.backoffice.forms import TeamForm
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.domain.audit import record_audit
from superconnector.events.domain.teams import TeamRefused, delete_team, save_team
from superconnector.events.models import AuditEntry, Event, Right, Team


@organiser_view(Right.TEAMS)
def teams(request: HttpRequest, event: Event, pk: int | None = None) -> HttpResponse:
    team = get_object_or_404(Team, event=event, pk=pk) if pk else Team(event=event)
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_team(form.save(commit=False), form.cleaned_data["members"])
        except TeamRefused as refused:
            form.add_error(None, str(refused))
        else:
            record_audit(
                request.user,
                "change",
                f"team:{saved.pk}",
                event=event,
                rights=sorted(saved.rights),
                members=form.cleaned_data["members"],
            )
            messages.success(request, _("Team %(name)s saved.") % {"name": saved.name})
            return redirect("backoffice:teams", slug=event.slug)
    listing = event.teams.prefetch_related("members").order_by("name")
    return render_page(
        request, "backoffice/teams.html", event, "teams", {"teams": listing, "form": form}
    )


@require_POST
@organiser_view(Right.TEAMS)
def team_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    team = get_object_or_404(Team, event=event, pk=pk)
    try:
        delete_team(team)
    except TeamRefused as refused:
        messages.error(request, str(refused))
    else:
        record_audit(request.user, "change", f"team:{pk}", event=event, deleted=True)
        messages.success(request, _("Team %(name)s deleted.") % {"name": team.name})
    return redirect("backoffice:teams", slug=event.slug)


AUDIT_PAGE_SIZE = 100


@require_safe
@organiser_view(Right.TEAMS)
def audit_log(request: HttpRequest, event: Event) -> HttpResponse:
    """Who viewed, exported or changed personal data of this event: to read, not to edit."""
    entries = AuditEntry.objects.filter(event=event).order_by("-at", "-pk")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "backoffice/audit.html", event, "audit", {"page": page})
