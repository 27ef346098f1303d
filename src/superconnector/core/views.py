import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import defaults

from superconnector.core.middleware import busy_response, is_database_busy
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
        "summary": summarise_event(event, listed_only=True),
        # Where this visitor goes next: their portal, the back office, or signing in.
        "participant": participant_for(request.user, event),
        "organiser": is_organiser(request.user, event),
    }
    return render(request, "core/event_detail.html", context)


TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """400s (Django's handler400), saying which limit a too-large request broke: 413 for
    the body, the number of fields or files; JSON under /api/ like every API error."""
    too_large = isinstance(exception, TOO_LARGE)
    if too_large:
        detail = _(
            "The request is too large: at most %(mb)s MB of form data, %(fields)s fields and "
            "%(files)s files are accepted (uploads have their own limit)."
        ) % {
            "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
            "fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            "files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        }
    else:
        detail = _("The request could not be understood.")
    status = 413 if too_large else 400
    if request.path.startswith("/api/"):
        code = "request_too_large" if too_large else "bad_request"
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return render(request, "core/bad_request.html", {"detail": detail}, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """500s (Django's handler500). A locked database met outside a view (the session saved
    after it, say) is "busy, try again" (503), as DatabaseBusyMiddleware answers for views."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
