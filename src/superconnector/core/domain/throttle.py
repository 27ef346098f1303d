"""Counting requests that send mail to an address, so the forms cannot be used to flood it.

The sign-in-link and password-reset forms answer the same way whether or not an address
has an account; a throttled request gets that same answer too, it only sends nothing.
Counts live where the configured cache does (core.config.parse_cache_url), in fixed
windows: precise enough to stop a flood, and forgetting everything after a window costs
nothing. With the default, the database, they are rows of core's ThrottleCount table,
counted by one upsert; with Redis, by a script around INCR. Either way the count and the
check are one atomic step, so that parallel requests cannot all read the same count.
Password guessing is throttled separately, by django-axes, on the login form; two-factor
codes are counted here too (core/domain/totp.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import random

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from superconnector.core.models import ThrottleCount

# Per address: a delegate who lost two mails can still ask a third time; per network: a
# conference venue's Wi-Fi puts hundreds of delegates behind one address, so that limit
# is far higher and only stops scripted floods.
MAIL_PER_ADDRESS = 3
MAIL_PER_IP = 30
MAIL_WINDOW = dt.timedelta(minutes=15)
# How often a new window also sweeps the database's ended ones.
PURGE_CHANCE = 0.02


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
    """Count one request for `value` in `scope`; False once more than `limit` came in the window.

    Counting and reading the count are one atomic step on every backend, so that parallel
    requests each see a different count and no more than `limit` of them pass.
    """
    return _count(_key(scope, value), window) <= limit


def _backend():
    """The cache the counts go to: Django's `cache` is a proxy to the default one (a test
    may put another backend in its place)."""
    return caches["default"] if isinstance(cache, ConnectionProxy) else cache


def _count(key: str, window: dt.timedelta) -> int:
    """Add one to `key`'s count in its fixed window (started by the first request) and
    return the new count."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        return _count_in_redis(backend, key, window)
    if isinstance(backend, DatabaseCache):
        return _count_in_database(key, window)
    # The memory cache (one process: tests, a shell) locks around add() and incr().
    timeout = int(window.total_seconds())
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout)
        return 1


# INCR is atomic; the script sets the window's expiry only with the first count (or if a
# key somehow has none), so later requests do not extend the window. Redis runs a script
# as one step.
_REDIS_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
"""


def _count_in_redis(backend: RedisCache, key: str, window: dt.timedelta) -> int:
    redis_key = backend.make_and_validate_key(key)
    # Django's RedisCache stores integers as plain numbers, so get() reads what INCR wrote.
    client = backend._cache.get_client(redis_key, write=True)  # type: ignore[attr-defined]  # private, not in django-stubs
    return int(client.eval(_REDIS_COUNT, 1, redis_key, int(window.total_seconds() * 1000)))


def _count_in_database(key: str, window: dt.timedelta) -> int:
    """One INSERT … ON CONFLICT DO UPDATE adds one (or starts a new window once the old
    one has expired): PostgreSQL locks the row for it, SQLite the whole file, so parallel
    requests queue and each reads its own count, in the same transaction."""
    now = timezone.now()
    table = ThrottleCount._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        q = connection.ops.quote_name
        t, k, n, e = q(table), q("key"), q("count"), q("expires_at")
        at, until = (connection.ops.adapt_datetimefield_value(v) for v in (now, now + window))
        cursor.execute(
            f"INSERT INTO {t} ({k}, {n}, {e}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({k}) DO UPDATE SET "
            f"{n} = CASE WHEN {t}.{e} <= %s THEN 1 ELSE {t}.{n} + 1 END, "
            f"{e} = CASE WHEN {t}.{e} <= %s THEN %s ELSE {t}.{e} END",
            [key, until, at, at, until],
        )
        cursor.execute(f"SELECT {n} FROM {t} WHERE {k} = %s", [key])
        count = cursor.fetchone()[0]
    if count == 1 and random.random() < PURGE_CHANCE:
        # Windows that ended are only ever restarted by the upsert above; drop the rest
        # now and then, so that the table holds about one window's keys.
        ThrottleCount.objects.filter(expires_at__lte=now).delete()
    return count


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
    key = _key(scope, value)
    if isinstance(_backend(), DatabaseCache):
        row = ThrottleCount.objects.filter(key=key, expires_at__gt=timezone.now()).first()
        return row.count if row else 0
    return cache.get(key, 0)


def forget(scope: str, value: str) -> None:
    """Drop the count for `value`, as after a success that makes earlier failures moot."""
    key = _key(scope, value)
    if isinstance(_backend(), DatabaseCache):
        ThrottleCount.objects.filter(key=key).delete()
    else:
        cache.delete(key)
