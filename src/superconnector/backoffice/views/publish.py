"""Publishing the schedule and e-mailing delegates their agendas."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.events.models import Event, Right
from superconnector.meetings.domain.publication import (
    count_affected,
    last_publication,
    publish_event_schedule,
)
from superconnector.meetings.domain.scheduling import schedule_quality


@organiser_view(Right.SCHEDULE, personal_data="agendas")
def publish(request: HttpRequest, event: Event) -> HttpResponse:
    if request.method == "POST":
        report = publish_event_schedule(event, request.user)
        messages.success(
            request,
            _("Schedule published; %(n)s delegates will receive their agenda by e-mail.")
            % {"n": report.mailed},
        )
        return redirect("backoffice:publish", slug=event.slug)
    return render_page(
        request,
        "backoffice/publish.html",
        event,
        "publish",
        {
            "last": last_publication(event),
            "affected": count_affected(event),
            "quality": schedule_quality(event),
        },
    )
