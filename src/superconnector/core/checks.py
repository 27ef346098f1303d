"""System checks for `check --deploy`: settings that are fine in development but not live."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

TWO_FACTOR_MIDDLEWARE = "superconnector.core.middleware.OrganiserTwoFactorMiddleware"


@register(Tags.security, deploy=True)
def check_organiser_two_factor(app_configs, **kwargs) -> list[Warning]:
    # A warning, not an error, so that an operator can still run without it (a closed
    # test server), but `check --deploy --fail-level WARNING` stops a live one.
    if not getattr(settings, "SUPERCONNECTOR_ORGANISER_TWO_FACTOR", False):
        return [
            Warning(
                "Two-factor authentication for organisers is switched off.",
                hint=(
                    "Organisers see every delegate's contact details. Set "
                    "organiser_two_factor = true (SUPERCONNECTOR_ORGANISER_TWO_FACTOR)."
                ),
                id="superconnector.W001",
            )
        ]
    if TWO_FACTOR_MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            Warning(
                "Two-factor authentication for organisers is on but not enforced.",
                hint=f"Add {TWO_FACTOR_MIDDLEWARE} to MIDDLEWARE, after AuthenticationMiddleware.",
                id="superconnector.W002",
            )
        ]
    return []


PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Warning]:
    # The throttles count mail requests and two-factor guesses in the cache: in each
    # process's own memory, every gunicorn worker would allow the full limit again.
    if settings.CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "The cache is kept in each process's memory, so the throttles of sign-in "
                "mail and two-factor guesses count per process.",
                hint=(
                    "Leave cache_url (SUPERCONNECTOR_CACHE_URL) empty for the database's "
                    "cache table, or set it to redis://HOST:PORT/DB."
                ),
                id="superconnector.W003",
            )
        ]
    return []
