from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from superconnector.events.models import Event


def home(request: HttpRequest) -> HttpResponse:
    events = Event.objects.annotate(
        organisation_count=Count("event_organisations", distinct=True),
        participant_count=Count("participants", distinct=True),
    )
    return render(request, "core/home.html", {"events": events})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from superconnector.events.domain.access import is_organiser, participant_for
    from superconnector.events.domain.summary import summarise_event

    event = get_object_or_404(Event, slug=slug)
    context = {
        "event": event,
        "summary": summarise_event(event),
        # Where this visitor goes next: their portal, the back office, or signing in.
        "participant": participant_for(request.user, event),
        "organiser": is_organiser(request.user, event),
    }
    return render(request, "core/event_detail.html", context)
