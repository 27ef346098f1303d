"""One error shape for every API response that is not a success.

    {"detail": "What went wrong, in plain words.", "code": "not_found"}
    {"detail": [{"loc": ["query", "limit"], "msg": "…", "type": "…"}], "code": "invalid"}

`code` is stable for programs; `detail` is for people (translated). Validation errors list
every problem with its path: where (`body`, `query`, `path`) and then the field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from superconnector.core.middleware import busy_response, is_database_busy
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


class ErrorOut(Schema):
    """An error: what went wrong for people, and a stable code for programs."""

    detail: str = Field(description="what went wrong, in the request's language")
    code: str = Field(description="stable, e.g. not_found or not_recipient")


class FieldProblem(Schema):
    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str
    type: str


class InvalidOut(Schema):
    """Invalid input (`code` "invalid", with every problem and its path), or a request the
    meeting workflow rejects (such as `same_person`, with a message)."""

    detail: list[FieldProblem] | str
    code: str


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """The error shapes of an operation's possible error statuses, for its `response=`."""
    return {status: InvalidOut if status == 422 else ErrorOut for status in statuses}


# What each kind of operation may answer besides success: every call may be
# unauthenticated (401); anything of an event may be another event's (404); paths and
# filters may be invalid (422).
READ_ERRORS = error_responses(401, 404, 422)
# Reads that need a right or a participant (the schedule; requests, meetings and
# recommendations of a caller who is neither organiser nor delegate) may also be 403.
RESTRICTED_READ_ERRORS = error_responses(401, 403, 404, 422)
# Workflow actions: a session needs CSRF (403), and the workflow refuses (403, 409, 422);
# those with a body may get one that is not JSON (400).
ACTION_ERRORS = error_responses(401, 403, 404, 409, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


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

    def on_operational_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if is_database_busy(exc):
            return busy_response(request)  # 503, "busy", Retry-After, as for every page
        raise exc

    # Through the decorator: add_exception_handler's annotation asks for handlers that take
    # the exception class too, which ninja never passes.
    api.exception_handler(ValidationError)(on_validation_error)
    api.exception_handler(OperationalError)(on_operational_error)
    api.exception_handler(AuthenticationError)(on_authentication_error)
    api.exception_handler(HttpError)(on_http_error)
    api.exception_handler(Http404)(on_not_found)
    api.exception_handler(PermissionDenied)(on_permission_denied)
    api.exception_handler(RequestRefused)(on_refusal)
