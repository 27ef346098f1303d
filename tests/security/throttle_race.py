"""Many requests against one throttle at the same moment, each thread on its own database
connection, as gunicorn's workers and threads would send them.

Used in-process by tests/security/test_throttle_races.py (PostgreSQL, Redis), and as a
script in a separate process on a SQLite file with the production settings, since the
suite's own SQLite database lives in memory where writers cannot race:

    DJANGO_SETTINGS_MODULE=superconnector.settings python -m tests.security.throttle_race SCENARIO

prints the scenario's result as JSON.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import Counter

VERIFY = "/accounts/two-factor/verify/"
SIGN_IN_LINK = "/accounts/sign-in-link/"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def _race(calls):
    from tests.trust.conftest import race

    return race(calls)


def _client(network: str):
    from django.test import Client

    # localhost is in the production ALLOWED_HOSTS; a fresh network per run keeps the
    # per-network mail limit (30) from mixing with earlier runs.
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=network)


def _fresh_network() -> str:
    number = uuid.uuid4().int
    return f"198.51.{number % 256}.{(number >> 8) % 254 + 1}"


def parallel_hits(attempts: int = 40, limit: int = 5) -> dict:
    """`attempts` threads count one hit each for the same key: how many were let through."""
    from superconnector.core.domain import throttle

    value = f"race-{uuid.uuid4()}"
    results = _race([lambda: throttle.hit("race", value, limit=limit)] * attempts)
    errors = [repr(v) for kind, v in results if kind == "error"]
    return {
        "allowed": sum(1 for kind, v in results if kind == "ok" and v is True),
        "counted": throttle.hits("race", value),
        "errors": errors[:3],
    }


def parallel_wrong_codes(attempts: int = 40) -> dict:
    """`attempts` sessions of one organiser send a wrong two-factor code at once: how many
    codes were checked (200, "not right") and how many refused unchecked (429)."""
    from django.utils import timezone

    from superconnector.core.domain import throttle
    from superconnector.core.domain.totp import STEP_SECONDS, THROTTLE_SCOPE, secret_key, totp
    from superconnector.core.models import TotpDevice, User

    user = User.objects.create_user(f"orga-{uuid.uuid4().hex[:8]}@example.com", None)
    device = TotpDevice.objects.create(user=user, secret=SECRET, confirmed_at=timezone.now())
    # Counts are keyed by user id, which a fresh database gives out again: a shared cache
    # (Redis) may still hold an earlier run's.
    throttle.forget(THROTTLE_SCOPE, str(user.pk))
    import time

    valid = {
        totp(secret_key(device.secret), time.time() + offset * STEP_SECONDS)
        for offset in (-2, -1, 0, 1, 2)
    }
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    network = _fresh_network()
    clients = []
    for _ in range(attempts):
        client = _client(network)
        client.force_login(user)
        clients.append(client)
    results = _race([lambda c=c: c.post(VERIFY, {"code": wrong}).status_code for c in clients])
    statuses = Counter(v if kind == "ok" else repr(v)[:80] for kind, v in results)
    return {
        "checked": statuses.pop(200, 0),
        "refused": statuses.pop(429, 0),
        "other": dict(statuses),
    }


def parallel_sign_in_link_requests(attempts: int = 30) -> dict:
    """`attempts` requests for a sign-in link to one address at once: how many mails."""
    from superconnector.core.models import OutgoingMail, User

    address = f"amy-{uuid.uuid4().hex[:8]}@example.com"
    User.objects.create_user(address, None)
    network = _fresh_network()
    clients = [_client(network) for _ in range(attempts)]
    results = _race(
        [lambda c=c: c.post(SIGN_IN_LINK, {"email": address}).status_code for c in clients]
    )
    statuses = Counter(v if kind == "ok" else repr(v)[:80] for kind, v in results)
    mails = OutgoingMail.objects.filter(kind="sign_in_link", to=address).count()
    return {"mails": mails, "answers": dict(statuses)}


def parallel_wrong_passwords(attempts: int = 40) -> dict:
    """`attempts` logins with a wrong password for one address at once: how many passwords
    were checked, and the answers (200 the form again, 429 the lockout page)."""
    import threading

    from superconnector.core.models import User

    checks = []
    lock = threading.Lock()
    check_password = User.check_password

    def counted(user, raw_password):
        with lock:
            checks.append(raw_password)
        return check_password(user, raw_password)

    User.check_password = counted
    address = f"amy-{uuid.uuid4().hex[:8]}@example.com"
    User.objects.create_user(address, "correct-horse-battery-staple")
    network = _fresh_network()
    clients = [_client(network) for _ in range(attempts)]
    form = {"username": address, "password": "wrong-password"}
    try:
        results = _race([lambda c=c: c.post("/accounts/login/", form).status_code for c in clients])
    finally:
        User.check_password = check_password
    statuses = Counter(v if kind == "ok" else repr(v)[:80] for kind, v in results)
    return {"checked": len(checks), "answers": dict(statuses)}


SCENARIOS = {
    "wrong-passwords": parallel_wrong_passwords,
    "hits": parallel_hits,
    "wrong-codes": parallel_wrong_codes,
    "sign-in-links": parallel_sign_in_link_requests,
}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(SCENARIOS[sys.argv[1]](), default=str))
