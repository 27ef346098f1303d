"""The event's figures and charts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from superconnector.backoffice.domain.dashboard import build_dashboard
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.models import Event, Right
from superconnector.meetings.domain.expiry import expire_before_reading


@organiser_view(Right.VIEW)
def dashboard(request: HttpRequest, event: Event) -> HttpResponse:
    # Past the deadline, nothing is pending any more, even before the expiry task has run.
    expire_before_reading(event)
    return render_page(
        request, "backoffice/dashboard.html", event, "dashboard", {"d": build_dashboard(event)}
    )
