"""How long one sign-in lasts, and the second factor organisers must add to it.

SessionLifetimeMiddleware: an idle timeout and an absolute one.

Idle: the session cookie and row expire SESSION_COOKIE_AGE after they were last saved, and
this middleware saves a signed-in session again once a minute of activity has passed, so
the expiry slides with use. (SESSION_SAVE_EVERY_REQUEST would do the same with a database
write on every request, HTMX polls included.)

Absolute: whatever the activity, a sign-in ends SUPERCONNECTOR_SESSION_MAX_AGE after it
began, so that a session left open on a kiosk at the venue, or kept alive by a forgotten
tab, does not live on for days.

DatabaseBusyMiddleware: a write that met a locked database (SQLite's busy timeout ran out)
answers 503 "the platform is busy, try again" with Retry-After, never a 500.

OrganiserTwoFactorMiddleware: an organiser whose session has not proved a second factor
(core/domain/totp.py) cannot open the back office, the admin, or the API with the session.

Add after AuthenticationMiddleware, in this order:
    "superconnector.core.middleware.SessionLifetimeMiddleware",
    "superconnector.core.middleware.OrganiserTwoFactorMiddleware",
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from superconnector.core.domain.totp import (
    confirmed_device,
    is_session_verified,
    requires_two_factor,
    two_factor_enforced,
)

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "superconnector_signed_in_at"
LAST_SEEN = "superconnector_last_seen"
# How stale the idle expiry may get before a request renews it; a save per minute at most.
RENEW_AFTER = 60


@receiver(user_logged_in, dispatch_uid="superconnector-session-started")
def _stamp_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    # Every sign-in (password, link, admin) restarts both clocks, also when the session
    # already belonged to the same user and login() kept its data.
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(SIGNED_IN_AT)
            if started is None:
                # Signed in before this middleware was deployed: count from now.
                session[SIGNED_IN_AT] = session[LAST_SEEN] = now
            elif (
                now - started > settings.SUPERCONNECTOR_SESSION_MAX_AGE
                or now - session.get(LAST_SEEN, now) > settings.SESSION_COOKIE_AGE
            ):
                # The second test matters when the session store keeps rows past their
                # expiry (the cookie may be replayed). logout() flushes the session and
                # makes request.user anonymous, so the view answers as to anyone signed
                # out (login_required sends them to the login page).
                logout(request)
            elif now - session.get(LAST_SEEN, 0) >= RENEW_AFTER:
                session[LAST_SEEN] = now  # modified: saved, with a fresh expiry
        return self.get_response(request)


# Where an organiser's session needs the second factor. Everything else (the portal, the
# sign-in and two-factor pages, signing out) stays open, so they can always complete it.
# Changing the address (the login) is there too: a password alone must not move an
# organiser's account to another mailbox.
TWO_FACTOR_PAGES = ("/orga/", "/admin/", "/accounts/email/")
TWO_FACTOR_API = "/api/"


class OrganiserTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request) if two_factor_enforced() else None
        return refusal or self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        is_api = path.startswith(TWO_FACTOR_API)
        if not is_api and not path.startswith(TWO_FACTOR_PAGES):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_session_verified(request):
            return None
        # Checked last: it costs a query, and most requests are settled above.
        if not requires_two_factor(user):
            return None
        if is_api:
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                # A token is its own credential. Drop the unverified session for this
                # request, or a bogus token would fall through to it in the API's
                # authentication (tokens first, then the session).
                request.user = AnonymousUser()
                return None
            return JsonResponse(
                {
                    "detail": _(
                        "Two-factor authentication required: confirm your sign-in with a "
                        "code from your authenticator app, or use an API token."
                    ),
                    "code": "two_factor_required",
                },
                status=403,
            )
        name = "two-factor-verify" if confirmed_device(user) else "two-factor-setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


# --- a busy database ---------------------------------------------------------------------------

# How long a client is asked to wait before trying again (seconds).
BUSY_RETRY_AFTER = 5


def is_database_busy(exc: BaseException | None) -> bool:
    """A write that waited for the database's lock longer than it may: SQLite's "database is
    locked" after the busy timeout, or PostgreSQL's lock timeout (SQLSTATE 55P03)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "55P03" or getattr(cause, "pgcode", None) == "55P03":
        return True
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the platform is busy (a long import on SQLite, say), nothing of
    the request was saved, and trying again in a moment works."""
    detail = _("The platform is busy, please try again in a moment.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail, "code": "busy"}, status=503)
    else:
        response = render(request, "core/busy.html", {"detail": detail}, status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


class DatabaseBusyMiddleware:
    """A view whose write met a locked database answers 503 "busy", not 500.

    The view's transaction (if any) has rolled back by then, so nothing half-done stays.
    Errors raised outside a view (a session saved after it, say) reach handler500, which
    answers the same way (core.views.server_error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_busy(exception):
            logger.warning(
                "database busy: %s %s answered 503 (%s)", request.method, request.path, exception
            )
            return busy_response(request)
        return None
