"""One-time sign-in links: asked for on the login page, or sent by organisers as invitations.

Only the SHA-256 of the token is stored, so reading the database does not let anyone sign
in; a link works once, until it expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.domain.mail import in_language_of, queue_mail
from superconnector.core.domain.redirects import safe_next_url
from superconnector.core.models import SignInLink, User
from superconnector.directory.domain.accounts import AccountRefused, account_for
from superconnector.directory.models import Participant
from superconnector.events.models import Event

SIGN_IN_LINK_LIFETIME = dt.timedelta(minutes=30)
# Invitations wait in an inbox for days before they are opened; they are still single use.
INVITATION_LIFETIME = dt.timedelta(days=14)


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


def mail_sign_in_link(email: str, next_url: str = "", *, base_url: str | None = None) -> None:
    """Queue a sign-in link if `email` belongs to an active account; do nothing otherwise.

    The caller answers the same way in both cases, so the form does not tell strangers
    which addresses have accounts.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    with transaction.atomic(), in_language_of(user):
        url = create_sign_in_link(user, next_url, base_url=base_url)
        queue_mail(
            user.email,
            _("Your sign-in link for Superconnector"),
            _(
                "Open this link to sign in:\n\n%(url)s\n\n"
                "It works once, for the next %(minutes)s minutes. If you did not ask for it, "
                "ignore this mail."
            )
            % {"url": url, "minutes": int(SIGN_IN_LINK_LIFETIME.total_seconds() // 60)},
            kind="sign_in_link",
        )


def user_for_participant(participant: Participant) -> User:
    """The participant's account, made (without a password) and linked if there is none.

    Raises AccountRefused for a person whose linked account has another address: the
    rules are `directory.domain.accounts.account_for`'s."""
    return account_for(participant.person)


@dataclass
class Invitations:
    """What `invite_participants` did: how many mails it queued, and whom it left out, why."""

    queued: int = 0
    refused: list[tuple[Participant, str]] = field(default_factory=list)


def invite_participants(
    event: Event, participants: Iterable[Participant], *, base_url: str | None = None
) -> Invitations:
    """Queue one invitation per participant, each with its own sign-in link to the event's
    portal; accounts are created for people who have none.

    The mail goes to the address of the account the link signs in to, which is always the
    person's own (`account_for` refuses anything else): a link never reaches a mailbox
    other than its account's. Erased people, disabled accounts and people whose account
    has another address are left out and reported."""
    if isinstance(participants, QuerySet):
        participants = participants.select_related("person__user")
    result = Invitations()
    with transaction.atomic():
        for participant in participants:
            if participant.person.erased_at is not None:
                result.refused.append((participant, _("erased")))
                continue
            try:
                with transaction.atomic():
                    user = user_for_participant(participant)
            except AccountRefused as refused:
                result.refused.append((participant, str(refused)))
                continue
            if not user.is_active:
                result.refused.append((participant, _("the account is disabled")))
                continue
            with in_language_of(user):
                url = create_sign_in_link(
                    user,
                    reverse("portal:recommendations", kwargs={"slug": event.slug}),
                    lifetime=INVITATION_LIFETIME,
                    base_url=base_url,
                )
                queue_mail(
                    user.email,
                    _("Your invitation to %(event)s") % {"event": event.name},
                    _(
                        "Dear %(name)s,\n\nyou are registered for %(event)s. Open this link to "
                        "see your recommended contacts, request meetings and keep your "
                        "organisation's profile up to date:\n\n%(url)s\n\n"
                        "The link works once, for %(days)s days; later, ask for a new one on "
                        "the sign-in page."
                    )
                    % {
                        "name": participant.person.name,
                        "event": event.name,
                        "url": url,
                        "days": INVITATION_LIFETIME.days,
                    },
                    event=event,
                    kind="invitation",
                )
            result.queued += 1
    return result
