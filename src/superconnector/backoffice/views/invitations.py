"""Inviting delegates in bulk: each invitation carries a one-time sign-in link."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.backoffice.views.confirmation import count_confirmed, render_confirmation
from superconnector.directory.domain.invitations import invite_participants
from superconnector.directory.models import Participant
from superconnector.events.models import Event, Right

SHOWN_REFUSALS = 20


def not_signed_in(event: Event):
    """Participants who have never signed in: the ones an invitation is for."""
    return Participant.objects.filter(event=event, absent=False).exclude(
        person__user__last_login__isnull=False
    )


@organiser_view(Right.EDIT, personal_data="participants")
def invitations(request: HttpRequest, event: Event) -> HttpResponse:
    waiting = not_signed_in(event)
    if request.method == "POST" and not count_confirmed(request, count := waiting.count()):
        return render_confirmation(
            request,
            event,
            "invitations",
            count=count,
            heading=_("Send the invitations?"),
            count_text=ngettext(
                "%(n)s invitation will be sent.", "%(n)s invitations will be sent.", count
            )
            % {"n": count},
            button=ngettext("Send %(n)s invitation", "Send %(n)s invitations", count)
            % {"n": count},
            cancel_url=reverse("backoffice:invitations", kwargs={"slug": event.slug}),
        )
    if request.method == "POST":
        # Links in e-mails must be absolute: they are opened from a mail client.
        sent = invite_participants(
            event, waiting.order_by("key"), base_url=request.build_absolute_uri("/").rstrip("/")
        )
        messages.success(
            request,
            _("%(n)s invitations queued; each carries its own sign-in link.") % {"n": sent.queued},
        )
        for participant, reason in sent.refused[:SHOWN_REFUSALS]:
            messages.warning(
                request,
                _("No invitation for %(key)s (%(name)s): %(reason)s")
                % {"key": participant.key, "name": participant.person.name, "reason": reason},
            )
        if len(sent.refused) > SHOWN_REFUSALS:
            messages.warning(
                request,
                _("…and %(n)s more left out.") % {"n": len(sent.refused) - SHOWN_REFUSALS},
            )
        return redirect("backoffice:invitations", slug=event.slug)
    return render_page(
        request,
        "backoffice/invitations.html",
        event,
        "invitations",
        {"waiting": waiting.count(), "total": Participant.objects.filter(event=event).count()},
    )
