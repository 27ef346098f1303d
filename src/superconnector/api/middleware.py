"""Errors that happen before the API's own handlers run (no such path, a method the path
does not take) answered in the API's error shape, so that clients parse one format."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or _is_json(response):
            return response
        if response.status_code == 404:
            return JsonResponse(
                {
                    "detail": _("No API endpoint at %(path)s.") % {"path": request.path},
                    "code": "not_found",
                },
                status=404,
            )
        if response.status_code == 405:
            return _method_not_allowed(request, response)
        return response


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _method_not_allowed(request: HttpRequest, response: HttpResponse) -> JsonResponse:
    allowed = response.get("Allow", "")
    json_response = JsonResponse(
        {
            "detail": _("%(method)s is not allowed on %(path)s; allowed: %(allowed)s.")
            % {"method": request.method, "path": request.path, "allowed": allowed or "-"},
            "code": "method_not_allowed",
        },
        status=405,
    )
    if allowed:
        json_response["Allow"] = allowed
    return json_response
