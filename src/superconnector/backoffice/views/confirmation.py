"""A bulk send confirms its count first: the page's button leads to "204 invitations will
be sent", and only the second press, carrying that number, sends. If the number changed
in between (a delegate signed in, a meeting moved), the organiser is asked again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from superconnector.backoffice.views.common import render_page
from superconnector.events.models import Event


def count_confirmed(request: HttpRequest, count: int) -> bool:
    """Whether this POST confirms sending exactly `count` mails; a stale count says so."""
    confirmed = request.POST.get("confirm")
    if confirmed is None:
        return False
    if confirmed.strip() != str(count):
        messages.warning(
            request,
            _("The number of mails changed since you looked: it is now %(n)s.") % {"n": count},
        )
        return False
    return True


def render_confirmation(
    request: HttpRequest,
    event: Event,
    section: str,
    *,
    count: int,
    heading: str,
    count_text: str,
    button: str,
    cancel_url: str,
) -> HttpResponse:
    return render_page(
        request,
        "backoffice/confirm_send.html",
        event,
        section,
        {
            "count": count,
            "heading": heading,
            "count_text": count_text,
            "button": button,
            "cancel_url": cancel_url,
        },
    )
