"""An organisation's page: whole description, its people and opportunities, past meetings."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from superconnector.meetings.domain.contacts import contact_shared_ids
from superconnector.portal.domain.organisations import load_organisation_profile
from superconnector.portal.views.common import delegate_view, render_page


@delegate_view
def organisation(request: HttpRequest, event, participant, key: str) -> HttpResponse:
    profile = load_organisation_profile(event, participant, key)
    if profile is None:
        raise Http404("no such organisation")
    return render_page(
        request,
        "portal/organisation.html",
        participant,
        "directory",
        {"profile": profile, "contacts": contact_shared_ids(participant)},
    )
