"""What every back-office page shares: the rights check and the subnav."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from superconnector.backoffice.domain.access import RightMissing, organised_event_or_404
from superconnector.events.domain.access import event_rights
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event, Right

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def organiser_view(
    right: str = Right.VIEW, *, write_right: str | None = None, personal_data: str = ""
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in first (anonymous people go to the login page); then the event's teams with
    `right` (and `write_right` for POSTs, when the page both shows and changes things).
    People with no right in the event get a 404 that does not reveal whether it exists;
    organisers missing this right get a 403 that says which right it needs.

    Pages that show or change delegates' personal data name it in `personal_data`: each
    request to them is written to the audit log (view or change) before the page runs,
    so that a failing page is logged too.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            needed = right
            if write_right is not None and request.method not in SAFE_METHODS:
                needed = write_right
            try:
                event = organised_event_or_404(request.user, slug, needed)
            except RightMissing as missing:
                return render(
                    request, "backoffice/right_missing.html", {"message": str(missing)}, status=403
                )
            if personal_data:
                record_page_access(request, event, personal_data, kwargs)
            return view(request, event, *args, **kwargs)

        return wrapper

    return decorate


def record_page_access(request: HttpRequest, event: Event, subject: str, kwargs: dict) -> None:
    action = "view" if request.method in SAFE_METHODS else "change"
    detail: dict[str, Any] = {"path": request.path, "method": request.method}
    if request.GET.get("q"):
        detail["query"] = request.GET["q"][:200]
    if request.method not in SAFE_METHODS and request.POST.get("action"):
        detail["form_action"] = request.POST["action"][:50]
    if kwargs:
        detail["ids"] = kwargs
    record_audit(request.user, action, subject, event=event, **detail)


def render_page(
    request: HttpRequest, template: str, event: Event, section: str, context: dict | None = None
) -> HttpResponse:
    rights = event_rights(request.user, event)
    return render(
        request,
        template,
        {"event": event, "section": section, "rights": rights, **(context or {})},
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
