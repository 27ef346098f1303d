"""Second factor for organisers: time-based one-time codes (RFC 6238) and recovery codes.

Organisers (platform staff and anyone who organises an event) see every delegate's
contact details, so a stolen or guessed password alone must not open the back office, the
admin or the API. They prove a second factor once per sign-in; the session then carries
a mark that core.middleware.OrganiserTwoFactorMiddleware looks for.

The algorithm is small enough to keep in the standard library: HOTP (RFC 4226) over the
number of 30-second steps since the epoch, HMAC-SHA-1, 6 digits, as every authenticator
app does by default.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import struct
import time
from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from superconnector.core.domain.throttle import forget, hit
from superconnector.core.models import RecoveryCode, TotpDevice

STEP_SECONDS = 30
DIGITS = 6
# Phones drift, and typing a code takes a few seconds: the step before and after the
# current one are accepted too. More would give a watcher more time to use a seen code.
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for SHA-1
ISSUER = "Superconnector"

RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: the codes are copied from paper. 10 characters are ~49 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10

# A 6-digit code has a million values: 5 tries per 15 minutes makes guessing one take
# years, while a user who mistypes twice is not bothered.
WRONG_CODE_LIMIT = 5
WRONG_CODE_WINDOW = dt.timedelta(minutes=15)
THROTTLE_SCOPE = "two-factor"

# In the session: the pk of the user who proved the second factor in it.
VERIFIED_SESSION_KEY = "superconnector_two_factor_verified"


# --- The algorithm (RFC 4226 and 6238) ----------------------------------------------


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """The HOTP value of `counter` (RFC 4226 §5.3), zero-padded to `digits` digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F  # dynamic truncation
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(when: float, *, step: int = STEP_SECONDS) -> int:
    """The RFC 6238 counter T: whole steps since the Unix epoch."""
    return int(when // step)


def totp(
    key: bytes,
    when: float,
    *,
    digits: int = DIGITS,
    step: int = STEP_SECONDS,
    digest: str = "sha1",
) -> str:
    """The code an authenticator app shows at Unix time `when`."""
    return hotp(key, time_step(when, step=step), digits=digits, digest=digest)


def new_secret() -> str:
    """A random secret, base32 without padding, as authenticator apps expect it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_key(secret: str) -> bytes:
    """The raw key of a base32 secret (case, spaces and missing padding tolerated)."""
    text = secret.replace(" ", "").upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def matching_step(secret: str, code: str, *, when: float, after: int) -> int | None:
    """The time step within the drift window whose code is `code`, if it is later than
    `after` (the last step used); None otherwise.

    Every candidate is compared, in constant time, so the answer's timing does not tell
    which step (or how much of the code) matched.
    """
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_key(secret)
    current = time_step(when)
    found = None
    for counter in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, counter), code) and counter > after and found is None:
            found = counter
    return found


def normalise_code(code: str) -> str:
    """What the user typed without spaces and dashes (apps show codes as "123 456")."""
    return "".join(code.split()).replace("-", "").lower()


# --- Presenting a secret ------------------------------------------------------------


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str, *, issuer: str = ISSUER) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code (Key Uri Format)."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


# --- Who must, and whether they have ----------------------------------------------


def two_factor_enforced() -> bool:
    """Whether organisers must use a second factor (the `organiser_two_factor` setting)."""
    return bool(getattr(settings, "SUPERCONNECTOR_ORGANISER_TWO_FACTOR", True))


# Further ways to be an organiser, known to the apps above core: the events app registers
# "is in an event's team" (events/apps.py). Core is the lowest data app, so it asks them
# instead of importing them.
_organiser_roles: dict[str, Callable[[object], bool]] = {}


def register_organiser_role(name: str, holds_role: Callable[[object], bool]) -> None:
    """Make `requires_two_factor` ask `holds_role(user)` too (from an AppConfig.ready();
    registering the same name again replaces it)."""
    _organiser_roles[name] = holds_role


def requires_two_factor(user) -> bool:
    """Organisers: platform staff, superusers, anyone who organises an event or may create
    one.

    Delegates are never asked; they see only what other delegates chose to show them.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser or user.can_create_events:
        return True
    return any(holds_role(user) for holds_role in _organiser_roles.values())


def confirmed_device(user) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_session_verified(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    # The pk, not just a flag: the mark must not carry over to another account.
    return request.session.get(VERIFIED_SESSION_KEY) == user.pk


def mark_session_verified(request: HttpRequest) -> None:
    """Note the second factor in the session, under a new session key: a key that leaked
    before (in a log, over a shoulder) must not become a fully signed-in one."""
    request.session.cycle_key()
    request.session[VERIFIED_SESSION_KEY] = request.user.pk


# --- Setting up ---------------------------------------------------------------------


def pending_device(user) -> TotpDevice | None:
    """The user's device awaiting its first code, made now if there is none; None if the
    user already has a confirmed one (replacing it is not done through setup).

    Kept across page loads, so that reloading the setup page does not invalidate a QR code
    the user has already scanned.
    """
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": new_secret()})
    return None if device.confirmed else device


def confirm_device(device: TotpDevice, code: str, *, when: float | None = None) -> list[str] | None:
    """Confirm `device` with the first code from the app; on success return a fresh set of
    recovery codes (their only plain copy), else None."""
    when = time.time() if when is None else when
    counter = matching_step(device.secret, code, when=when, after=device.last_counter)
    if counter is None:
        return None
    with transaction.atomic():
        updated = TotpDevice.objects.filter(
            pk=device.pk, confirmed_at__isnull=True, last_counter__lt=counter
        ).update(confirmed_at=timezone.now(), last_counter=counter)
        if not updated:  # confirmed meanwhile, in another tab
            return None
        return replace_recovery_codes(device.user)


# --- Proving the second factor ------------------------------------------------------


def _throttle_key(user) -> str:
    return str(user.pk)


class TooManyCodes(Exception):
    """The user has had WRONG_CODE_LIMIT tries within the window: no code is checked."""


def _count_try(user) -> None:
    """Count a try before its code is checked, and refuse it past the limit.

    Counted first, in one atomic step with the check of the count: checked first and
    counted after a wrong answer, forty parallel guesses all passed the check before the
    first was counted. A right code then clears the count.
    """
    if not hit(
        THROTTLE_SCOPE, _throttle_key(user), limit=WRONG_CODE_LIMIT, window=WRONG_CODE_WINDOW
    ):
        raise TooManyCodes


def verify_code(user, code: str, *, when: float | None = None) -> bool:
    """Whether `code` is a current, not yet used code of the user's confirmed device.

    A code is accepted once: the device remembers the last step used, and only a later one
    passes, so a code seen on the screen or in transit cannot be replayed. Every try counts
    towards the throttle; past it, TooManyCodes is raised and the code is not checked.
    """
    _count_try(user)
    when = time.time() if when is None else when
    device = confirmed_device(user)
    counter = (
        matching_step(device.secret, code, when=when, after=device.last_counter)
        if device is not None
        else None
    )
    # Compare-and-set: of two requests racing with the same code, one wins.
    if (
        device is not None
        and counter is not None
        and (
            TotpDevice.objects.filter(pk=device.pk, last_counter__lt=counter).update(
                last_counter=counter
            )
        )
    ):
        forget(THROTTLE_SCOPE, _throttle_key(user))
        return True
    return False


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def use_recovery_code(user, code: str) -> bool:
    """Spend one of the user's recovery codes; False if it is wrong or already used.

    Counts towards the same throttle as app codes (TooManyCodes past it).
    """
    _count_try(user)
    updated = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if updated:
        forget(THROTTLE_SCOPE, _throttle_key(user))
        return True
    return False


def replace_recovery_codes(user) -> list[str]:
    """Make a new set of recovery codes, voiding the old ones; returns the plain codes,
    which are not kept anywhere."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash_recovery_code(code)) for code in codes
        )
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def unused_recovery_code_count(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
