"""The event's figures and charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from superconnector.backoffice.domain.dashboard import build_dashboard
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.models import Event, Right


@organiser_view(Right.VIEW)
def dashboard(request: HttpRequest, event: Event) -> HttpResponse:
    return render_page(
        request, "backoffice/dashboard.html", event, "dashboard", {"d": build_dashboard(event)}
    )
