"""Publishing the schedule and e-mailing delegates their agendas: the count is confirmed
first; then both happen in the background (backoffice/mailings.py) and the page shows how
many mails have gone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from superconnector.backoffice.mailings import latest_mailing, start_publication
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.backoffice.views.confirmation import count_confirmed, render_confirmation
from superconnector.backoffice.views.mailings import mailing_context
from superconnector.core.domain.runs import RunAlreadyActive
from superconnector.core.models import MailingKind
from superconnector.events.models import Event, Right
from superconnector.meetings.domain.publication import affected_ids, last_publication
from superconnector.meetings.domain.scheduling import schedule_quality


@organiser_view(Right.SCHEDULE, personal_data="agendas")
def publish(request: HttpRequest, event: Event) -> HttpResponse:
    recipients = affected_ids(event)
    if request.method == "POST" and not count_confirmed(request, count := len(recipients)):
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
        try:
            start_publication(event, request.user, recipients)
        except RunAlreadyActive as active:
            messages.warning(request, str(active))  # a second click publishes nothing
        else:
            messages.success(
                request,
                _(
                    "Publishing the schedule; %(n)s delegates are being sent their agenda "
                    "by e-mail in the background, with the progress below."
                )
                % {"n": len(recipients)},
            )
        return redirect("backoffice:publish", slug=event.slug)
    return render_page(
        request,
        "backoffice/publish.html",
        event,
        "publish",
        {
            "last": last_publication(event),
            "affected": len(recipients),
            "mailing": mailing_context(event, latest_mailing(event, MailingKind.AGENDAS)),
            "quality": schedule_quality(event),
        },
    )
