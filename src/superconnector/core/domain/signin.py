"""One-time sign-in links: made for the login page's "mail me a link" and for organisers'
invitations (directory/domain/invitations.py), spent when opened (portal/views/auth.py).

Only the SHA-256 of the token is stored, so reading the database does not let anyone sign
in; a link works once, until it expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from superconnector.core.domain.redirects import safe_next_url
from superconnector.core.models import SignInLink, User

SIGN_IN_LINK_LIFETIME = dt.timedelta(minutes=30)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def site_url(base_url: str | None = None) -> str:
    """The scheme and host that mailed links start with (the page's host when known)."""
    if base_url is None:
        base_url = getattr(settings, "SUPERCONNECTOR_SITE_URL", "")
    return base_url.rstrip("/")


def create_sign_in_link(
    user: User,
    next_url: str = "",
    *,
    lifetime: dt.timedelta = SIGN_IN_LINK_LIFETIME,
    base_url: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """Store a new single-use link for `user` and return its URL (the token is only in it)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user,
        token_hash=hash_token(token),
        next_url=safe_next_url(next_url),
        expires_at=now + lifetime,
    )
    return site_url(base_url) + reverse("sign-in-with-link", kwargs={"token": token})


def find_usable_token(model, token: str, *, now: dt.datetime | None = None):
    """The unused, unexpired row of `model` (a link with a hashed single-use token: sign-in
    links, e-mail changes) for `token`, of an active account, or None: unknown, used,
    voided and expired tokens look alike."""
    now = now or timezone.now()
    return (
        model.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            used_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )


def find_usable_link(token: str, *, now: dt.datetime | None = None) -> SignInLink | None:
    """The unused, unexpired link for `token`, or None (unknown, used and expired look alike)."""
    return find_usable_token(SignInLink, token, now=now)


def use_sign_in_link(token: str, *, now: dt.datetime | None = None) -> SignInLink | None:
    """Spend the link: returns it (with its user) once; later calls and bad tokens get None."""
    now = now or timezone.now()
    with transaction.atomic():
        link = find_usable_link(token, now=now)
        if link is None:
            return None
        # The conditional update is what makes the link single use under concurrent clicks.
        spent = SignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
        return link if spent else None
