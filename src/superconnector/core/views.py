"""The error pages every part of the site shares (Django's handler400 and handler500)."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from superconnector.core.middleware import busy_response, is_database_busy

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
