"""Inviting delegates in bulk: each invitation carries a one-time sign-in link. The count is
confirmed first; then the mails go in the background (backoffice/mailings.py) and the page
shows how many have gone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from superconnector.backoffice.mailings import latest_mailing, start_invitations
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.backoffice.views.confirmation import count_confirmed, render_confirmation
from superconnector.backoffice.views.mailings import mailing_context
from superconnector.core.domain.runs import RunAlreadyActive
from superconnector.core.models import MailingKind
from superconnector.directory.models import Participant
from superconnector.events.models import Event, Right


def not_signed_in(event: Event):
    """Participants who have never signed in: the ones an invitation is for."""
    return Participant.objects.filter(event=event, absent=False).exclude(
        person__user__last_login__isnull=False
    )


def invitation_recipients(event: Event) -> list[int]:
    """Whom "send" invites, as the confirmation counts them: never signed in, not absent,
    not erased, no disabled account (invite_participant would refuse those anyway)."""
    waiting = not_signed_in(event).exclude(person__erased_at__isnull=False)
    return list(
        waiting.exclude(person__user__is_active=False).order_by("key").values_list("pk", flat=True)
    )


@organiser_view(Right.EDIT, personal_data="participants")
def invitations(request: HttpRequest, event: Event) -> HttpResponse:
    recipients = invitation_recipients(event)
    if request.method == "POST" and not count_confirmed(request, count := len(recipients)):
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
        try:
            # Links in e-mails must be absolute: they are opened from a mail client.
            start_invitations(
                event,
                request.user,
                recipients,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except RunAlreadyActive as active:
            messages.warning(request, str(active))  # a second click sends nothing
        else:
            messages.success(
                request,
                _(
                    "Sending %(n)s invitations in the background, each with its own sign-in "
                    "link; their progress is below."
                )
                % {"n": len(recipients)},
            )
        return redirect("backoffice:invitations", slug=event.slug)
    return render_page(
        request,
        "backoffice/invitations.html",
        event,
        "invitations",
        {
            "waiting": len(recipients),
            "total": Participant.objects.filter(event=event).count(),
            "mailing": mailing_context(event, latest_mailing(event, MailingKind.INVITATIONS)),
        },
    )
