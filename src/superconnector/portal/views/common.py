"""What every portal page shares: the participant check and rendering with the subnav."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from superconnector.directory.domain.participants import participant_for
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.privacy.domain.consent import needs_consent_answers


def delegate_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous people go to the login page; signed-in people who are not participants of
    the event get a 404 that does not reveal whether its private pages exist."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        event = get_object_or_404(Event, slug=slug)
        participant = participant_for(request.user, event)
        if participant is None:
            raise Http404("not a participant of this event")
        if needs_consent_answers(participant.person):
            # Registration's consent step comes first, whichever page the link opened.
            welcome = reverse("privacy:welcome")
            return redirect(f"{welcome}?{urlencode({'next': request.get_full_path()})}")
        return view(request, event, participant, *args, **kwargs)

    return wrapper


def render_page(
    request: HttpRequest,
    template: str,
    participant: Participant,
    section: str,
    context: dict | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "event": participant.event,
            "me": participant,
            "section": section,
            **(context or {}),
        },
        status=status,
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
