"""How long one sign-in lasts: an idle timeout and an absolute one.

Idle: the session cookie and row expire SESSION_COOKIE_AGE after they were last saved, and
this middleware saves a signed-in session again once a minute of activity has passed, so
the expiry slides with use. (SESSION_SAVE_EVERY_REQUEST would do the same with a database
write on every request, HTMX polls included.)

Absolute: whatever the activity, a sign-in ends SUPERCONNECTOR_SESSION_MAX_AGE after it
began, so that a session left open on a kiosk at the venue, or kept alive by a forgotten
tab, does not live on for days.

Add after AuthenticationMiddleware:
    "superconnector.core.middleware.SessionLifetimeMiddleware",
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

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
