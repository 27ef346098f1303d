"""Upload, dry run and confirmed import of delegate lists and exchange documents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from superconnector.backoffice.domain.imports import (
    SUFFIXES,
    apply_import,
    kind_of,
    problem_rows,
    stage_import,
)
from superconnector.backoffice.forms import ImportForm
from superconnector.backoffice.models import StagedImport
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.models import Event, Right
from superconnector.exchange.problems import ImportRejected


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
        StagedImport.objects.filter(event=event).defer("content").select_related("created_by")[:10]
    )
    return render_page(
        request, "backoffice/import.html", event, "import", {"form": form, "recent": recent}
    )


def _staged(event: Event, pk: int) -> StagedImport:
    return get_object_or_404(StagedImport.objects.defer("content"), event=event, pk=pk)


@organiser_view(Right.EDIT, personal_data="import")
def import_detail(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    staged = _staged(event, pk)
    report = staged.report or {}
    return render_page(
        request,
        "backoffice/import_detail.html",
        event,
        "import",
        {
            "staged": staged,
            "problems": problem_rows(report.get("problems", [])),
            "tallies": sorted(report.get("tallies", {}).items()),
            "warnings": report.get("warnings", []),
            "changed": report.get("changed", False),
        },
    )


@require_POST
@organiser_view(Right.EDIT, personal_data="import")
def import_apply(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    staged = get_object_or_404(StagedImport, event=event, pk=pk)
    try:
        apply_import(staged, request.user)
    except ImportRejected:
        messages.error(request, _("The import was refused; nothing was written."))
    else:
        messages.success(request, _("Imported %(file)s.") % {"file": staged.filename})
    return redirect("backoffice:import-detail", slug=event.slug, pk=staged.pk)
