"""Downloads of every back-office list as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from superconnector.backoffice.domain.exports import EXPORTS, FORMATS, export_csv, export_xlsx
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event, Right

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@organiser_view(Right.EXPORT)
def exports(request: HttpRequest, event: Event) -> HttpResponse:
    return render_page(
        request,
        "backoffice/exports.html",
        event,
        "exports",
        {"exports": EXPORTS.values(), "formats": FORMATS},
    )


@organiser_view(Right.EXPORT)
def export_download(request: HttpRequest, event: Event, name: str, fmt: str) -> HttpResponse:
    export = EXPORTS.get(name)
    if export is None or fmt not in FORMATS:
        raise Http404("no such export")
    content = export_csv(event, export) if fmt == "csv" else export_xlsx(event, export)
    record_audit(request.user, "export", f"export:{name}", event=event, format=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-{name}.{fmt}"'
    return response
