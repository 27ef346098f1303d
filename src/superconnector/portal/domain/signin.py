"""Asking for a sign-in link on the login page (the links themselves: core/domain/signin.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from superconnector.core.domain.signin import SIGN_IN_LINK_LIFETIME, create_sign_in_link
from superconnector.core.models import User
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.languages import in_language_of_account


def mail_sign_in_link(email: str, next_url: str = "", *, base_url: str | None = None) -> None:
    """Queue a sign-in link if `email` belongs to an active account; do nothing otherwise.

    The caller answers the same way in both cases, so the form does not tell strangers
    which addresses have accounts.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    with transaction.atomic(), in_language_of_account(user):
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
