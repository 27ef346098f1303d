"""Publishing the schedule and e-mailing delegates their agendas."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.backoffice.views.confirmation import count_confirmed, render_confirmation
from superconnector.events.models import Event, Right
from superconnector.meetings.domain.publication import (
    count_affected,
    last_publication,
    publish_event_schedule,
)
from superconnector.meetings.domain.scheduling import schedule_quality


@organiser_view(Right.SCHEDULE, personal_data="agendas")
def publish(request: HttpRequest, event: Event) -> HttpResponse:
    if request.method == "POST" and not count_confirmed(request, count := count_affected(event)):
        return render_confirmation(
            request,
            event,
            "publish",
            count=count,
            heading=_("Publish the schedule?"),
            count_text=ngettext(
                "%(n)s agenda mail will be sent.", "%(n)s agenda mails will be sent.", count
            )
            % {"n": count},
            button=ngettext(
                "Publish and send %(n)s agenda mail", "Publish and send %(n)s agenda mails", count
            )
            % {"n": count},
            cancel_url=reverse("backoffice:publish", kwargs={"slug": event.slug}),
        )
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
