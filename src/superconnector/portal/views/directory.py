"""The event's directory: published organisations, people and opportunities."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from superconnector.matchmaking.domain.search import DirectoryFilters, search_directory
from superconnector.portal.domain.directory import filter_choices, shown_contacts
from superconnector.portal.forms import DirectoryFilterForm
from superconnector.portal.views.common import delegate_view, is_htmx, render_page


@delegate_view
def directory(request: HttpRequest, event, participant) -> HttpResponse:
    filters = DirectoryFilters.from_data(request.GET)
    page = search_directory(event, participant, filters, page=_page_number(request))
    context = {"page": page, "filters": filters, "contacts": shown_contacts(page, participant)}
    if is_htmx(request):
        return render(
            request,
            "portal/_directory_results.html",
            {"event": event, "me": participant, **context},
        )
    regions, sectors = filter_choices(event)
    form = DirectoryFilterForm(request.GET or None, regions=regions, sectors=sectors)
    form.is_valid()  # only to show the chosen values again; unknown ones are ignored
    return render_page(
        request, "portal/directory.html", participant, "directory", {"form": form, **context}
    )


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a positive number means the first."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1
