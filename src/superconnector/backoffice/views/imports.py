"""Upload, dry run and confirmed import of delegate lists and exchange documents.

The requests only store the file and queue the work; the check and the import run as
background tasks, and the import page follows them with an htmx progress fragment.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.backoffice.domain.imports import (
    ACTIVE,
    SUFFIXES,
    displayed_progress,
    displayed_stage,
    kind_of,
    problem_rows,
)
from superconnector.backoffice.forms import ImportForm
from superconnector.backoffice.uploads import stage_import, start_apply
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.core.domain.runs import is_stale
from superconnector.events.models import Event, Right
from superconnector.exchange.models import StagedImport
from superconnector.exchange.problems import ImportRejected

# A worker polls every second: a task still queued after this has nobody to carry it out.
WORKER_WAIT = dt.timedelta(minutes=1)
# A list with thousands of problems is fixed from the first ones; the page stays light.
SHOWN_PROBLEMS = 500


@organiser_view(Right.EDIT, personal_data="import")
def import_upload(request: HttpRequest, event: Event) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = settings.SUPERCONNECTOR_MAX_IMPORT_BYTES
        if kind_of(upload.name) is None:
            form.add_error("file", _("Upload a file ending in %(s)s.") % {"s": ", ".join(SUFFIXES)})
        elif upload.size > limit:
            form.add_error(
                "file", _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
            )
        else:
            staged = stage_import(event, request.user, upload.name, upload.read())
            return redirect("backoffice:import-detail", slug=event.slug, pk=staged.pk)
    recent = (
        StagedImport.objects.filter(event=event)
        .defer("content", "report")
        .select_related("created_by")[:10]
    )
    return render_page(
        request, "backoffice/import.html", event, "import", {"form": form, "recent": recent}
    )


def _staged(event: Event, pk: int) -> StagedImport:
    return get_object_or_404(StagedImport.objects.defer("content"), event=event, pk=pk)


def _progress_context(event: Event, staged: StagedImport) -> dict:
    now = timezone.now()
    # Still running long after any list could take: its worker died with it. One still
    # queued is shown waiting for a worker instead (no_worker): a worker started later
    # takes it up, since nothing marks it failed.
    stale = staged.status == StagedImport.Status.RUNNING and is_stale(staged, now)
    active = staged.status in ACTIVE and not stale
    return {
        "event": event,
        "staged": staged,
        "active": active,
        "stale": stale,
        "stopped": stale or staged.status == StagedImport.Status.FAILED,
        "no_worker": staged.status == StagedImport.Status.QUEUED
        and now - (staged.queued_at or staged.created_at) > WORKER_WAIT,
        "percent": round(100 * displayed_progress(staged, now)),
        "stage": displayed_stage(staged),
        "url": reverse("backoffice:import-progress", args=[event.slug, staged.pk]),
    }


@organiser_view(Right.EDIT, personal_data="import")
def import_detail(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    staged = _staged(event, pk)
    report = staged.report or {}
    problems = problem_rows(report.get("problems", []))
    return render_page(
        request,
        "backoffice/import_detail.html",
        event,
        "import",
        {
            **_progress_context(event, staged),
            "problems": problems[:SHOWN_PROBLEMS],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "tallies": sorted(report.get("tallies", {}).items()),
            "warnings": report.get("warnings", []),
            "changed": report.get("changed", False),
            "report": report,
        },
    )


@organiser_view(Right.EDIT)
def import_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the task is over, the page reloads to show
    its report (no personal data here, so no audit entry for every poll)."""
    staged = _staged(event, pk)
    context = _progress_context(event, staged)
    response = render(request, "backoffice/_import_progress.html", context)
    if not context["active"]:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@organiser_view(Right.EDIT, personal_data="import")
def import_apply(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    staged = _staged(event, pk)
    try:
        started = start_apply(staged, request.user)
    except ImportRejected:
        messages.error(request, _("This file cannot be imported; nothing was written."))
    else:
        if started:
            messages.success(request, _("Importing %(file)s.") % {"file": staged.filename})
        else:
            messages.info(request, _("This file is already being imported."))
    return redirect("backoffice:import-detail", slug=event.slug, pk=staged.pk)
