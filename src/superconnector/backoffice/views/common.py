"""What every back-office page shares: the organiser check and the subnav."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from superconnector.backoffice.domain.access import organised_event_or_404
from superconnector.events.models import Event


def organiser_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first (anonymous people go to the login page); then the event's organisers
    only, everyone else a 404 that does not reveal whether the event exists."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        event = organised_event_or_404(request.user, slug)
        return view(request, event, *args, **kwargs)

    return wrapper


def render_page(
    request: HttpRequest, template: str, event: Event, section: str, context: dict | None = None
) -> HttpResponse:
    return render(request, template, {"event": event, "section": section, **(context or {})})


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
