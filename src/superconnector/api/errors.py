"""One error shape for every API response that is not a success.

    {"detail": "What went wrong, in plain words.", "code": "not_found"}
    {"detail": [{"loc": ["query", "limit"], "msg": "…", "type": "…"}], "code": "invalid"}

`code` is stable for programs; `detail` is for people (translated). Validation errors list
every problem with its path: where (`body`, `query`, `path`) and then the field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from superconnector.meetings.domain.requests import RequestRefused

if TYPE_CHECKING:
    from ninja import NinjaAPI


class ApiError(HttpError):
    """An HTTP error with a stable code next to its message."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(status_code, message)
        self.code = code


# Workflow refusals: who may not do it (403), a state that forbids it (409), or input the
# workflow rejects (422). Codes not listed are conflicts.
REFUSAL_STATUS = {
    "not_recipient": 403,
    "not_party": 403,
    "not_sender": 403,
    "unavailable": 403,
    "same_person": 422,
    "same_organisation": 422,
    "other_event": 422,
    "priority": 422,
}

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}


def field_error(loc: list[str | int], message: str, kind: str = "value_error") -> ValidationError:
    """A validation error on one field, shaped like those pydantic reports."""
    return ValidationError([{"loc": loc, "msg": message, "type": kind}])


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, detail) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "code": code}, status=status)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {
                "loc": list(error.get("loc", ())),
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "value_error")),
            }
            for error in exc.errors
        ]
        return respond(request, 422, "invalid", detail)

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            "not_authenticated",
            _(
                "Authentication required: send an API token as “Authorization: Bearer …”, "
                "or sign in."
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, code, str(exc))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "forbidden", str(exc) or _("You may not do this."))

    def on_refusal(request: HttpRequest, exc: RequestRefused) -> HttpResponse:
        return respond(request, REFUSAL_STATUS.get(exc.code, 409), exc.code, str(exc))

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(RequestRefused, on_refusal)
