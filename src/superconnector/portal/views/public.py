"""The public pages: the list of events, and an event's page with its figures.

Anyone may open them; a signed-in visitor is sent on from an event's page to where they
belong in it (their portal, the back office, or signing in).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from superconnector.directory.domain.participants import participant_for
from superconnector.events.domain.access import is_organiser
from superconnector.events.models import Event
from superconnector.meetings.domain.summary import summarise_event


def home(request: HttpRequest) -> HttpResponse:
    events = Event.objects.annotate(
        organisation_count=Count("event_organisations", distinct=True),
        participant_count=Count("participants", distinct=True),
    )
    return render(request, "portal/public/home.html", {"events": events})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event, slug=slug)
    context = {
        "event": event,
        "summary": summarise_event(event, listed_only=True),
        # Where this visitor goes next: their portal, the back office, or signing in.
        "participant": participant_for(request.user, event),
        "organiser": is_organiser(request.user, event),
    }
    return render(request, "portal/public/event_detail.html", context)
