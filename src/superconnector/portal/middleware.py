"""Remember each signed-in user's language and bring it back at their next sign-in.

Add after AuthenticationMiddleware:
    "superconnector.portal.middleware.RememberLanguageMiddleware",
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from superconnector.portal.domain.language import remember_language, supported_language


class RememberLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = bool(user and user.is_authenticated)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        stored = supported_language(user.locale) if user is not None and signed_in else ""
        # A browser without this user's choice (a new device, or just signed in): the stored
        # choice wins over Accept-Language and over whatever the browser chose before.
        restore = bool(stored and cookie != stored)
        if restore:
            translation.activate(stored)
            request.LANGUAGE_CODE = stored
        response = self.get_response(request)
        if not signed_in:
            return response
        chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen is not None and request.path == reverse("set_language"):
            remember_language(user, chosen.value)
        elif restore:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                stored,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        elif not stored and cookie and supported_language(cookie):
            # First visit since signing in, having chosen a language before: keep that.
            remember_language(user, cookie)
        return response
