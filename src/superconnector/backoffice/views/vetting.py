"""Vetting profiles: filter the event's organisations, publish or hide them in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from superconnector.backoffice.domain.vetting import (
    event_organisations_for_review,
    load_profile_for_review,
    review_counts,
    set_review_status,
)
from superconnector.backoffice.forms import ReviewFilterForm
from superconnector.backoffice.views.common import organiser_view, render_page
from superconnector.directory.models import ReviewStatus
from superconnector.events.models import Event, Right

PAGE_SIZE = 100


@organiser_view(Right.VIEW, write_right=Right.EDIT, personal_data="organisations")
def profiles(request: HttpRequest, event: Event) -> HttpResponse:
    if request.method == "POST":
        status = request.POST.get("status", "")
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        if status not in (ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN):
            messages.error(request, _("Choose to publish or to hide."))
        elif not ids:
            messages.error(request, _("Select at least one organisation."))
        else:
            changed = set_review_status(event, ids, status, actor=request.user)
            messages.success(request, _("%(n)s organisations updated.") % {"n": changed})
        return redirect(f"{request.path}?{request.POST.get('query', '')}")
    filters = ReviewFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    links = event_organisations_for_review(
        event,
        status=values.get("status", ""),
        kind=values.get("kind", ""),
        query=values.get("q", ""),
    )
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "backoffice/profiles.html",
        event,
        "profiles",
        {
            "filters": filters,
            "page": page,
            "counts": review_counts(event),
            "query": query.urlencode(),
        },
    )


@require_safe
@organiser_view(Right.VIEW, personal_data="organisations")
def profile_detail(request: HttpRequest, event: Event, key: str) -> HttpResponse:
    """One organisation's whole profile, read-only, as vetting needs it before publishing."""
    profile = load_profile_for_review(event, key)
    if profile is None:
        raise Http404("no such organisation in this event")
    return render_page(
        request, "backoffice/profile_detail.html", event, "profiles", {"profile": profile}
    )
