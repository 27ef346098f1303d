"""Counting requests that send mail to an address, so the forms cannot be used to flood it.

The sign-in-link and password-reset forms answer the same way whether or not an address
has an account; a throttled request gets that same answer too, it only sends nothing.
Counts live in Django's cache, in fixed windows: precise enough to stop a flood, and
forgetting everything after a window costs nothing. Password guessing is throttled
separately, by django-axes, on the login form; wrong two-factor codes are counted here
too (core/domain/totp.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# Per address: a delegate who lost two mails can still ask a third time; per network: a
# conference venue's Wi-Fi puts hundreds of delegates behind one address, so that limit
# is far higher and only stops scripted floods.
MAIL_PER_ADDRESS = 3
MAIL_PER_IP = 30
MAIL_WINDOW = dt.timedelta(minutes=15)


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address: REMOTE_ADDR, or, behind `proxy_count` reverse proxies, the
    address the outermost of them saw (the ones before it in X-Forwarded-For can be forged).

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so both agree on who the caller is.
    """
    proxies = getattr(settings, "SUPERCONNECTOR_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def _valid_ip(value: str) -> str | None:
    """The address if it is one, else None: axes stores it in an inet column, which
    PostgreSQL refuses for anything else (a forged header, a test request)."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _key(scope: str, value: str) -> str:
    # Hashed: cache keys must be short and plain, and e-mail addresses are neither.
    digest = hashlib.sha256(f"{scope}\0{value}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def hit(scope: str, value: str, *, limit: int, window: dt.timedelta = MAIL_WINDOW) -> bool:
    """Count one request for `value` in `scope`; False once more than `limit` came in the window."""
    key = _key(scope, value)
    timeout = int(window.total_seconds())
    # add() only sets a missing key, so the window starts at the first request and is not
    # extended by later ones; incr() is atomic on the shared caches (Redis, Memcached).
    if cache.add(key, 1, timeout):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout)
        count = 1
    return count <= limit


def allow_mail_request(request: HttpRequest, email: str, scope: str) -> bool:
    """Whether a form may send mail to `email` now; counts the request either way."""
    address = email.strip().lower()
    by_address = hit(f"{scope}:address", address, limit=MAIL_PER_ADDRESS)
    by_ip = hit(f"{scope}:ip", client_ip(request) or "unknown", limit=MAIL_PER_IP)
    return by_address and by_ip


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The address django-axes counts failed logins for (AXES_USERNAME_CALLABLE).

    Normalised so that "Amy@Example.com" and "amy@example.com " share one count: the
    login itself matches addresses without regard to case.
    """
    username = (credentials or {}).get("username")
    if username is None:
        username = getattr(request, "POST", {}).get("username", "")
    return str(username or "").strip().lower()


def hits(scope: str, value: str) -> int:
    """How many requests `hit()` has counted for `value` in the current window."""
    return cache.get(_key(scope, value), 0)


def forget(scope: str, value: str) -> None:
    """Drop the count for `value`, as after a success that makes earlier failures moot."""
    cache.delete(_key(scope, value))
