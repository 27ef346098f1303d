"""Changing one's own e-mail address (and so one's login): asked for while signed in,
confirmed by a link mailed to the NEW address.

Only someone who reads the new mailbox can complete the change, so nobody can point an
account at an address they do not control, nor at someone else's. As with sign-in links,
only the SHA-256 of the token is stored, a link works once and expires; asking again voids
the earlier link. The change itself is `directory.domain.accounts.change_email`.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from superconnector.core.domain.signin import find_usable_token, hash_token, site_url
from superconnector.core.models import User
from superconnector.core.models.signin import EmailChangeLink
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.accounts import (
    AccountRefused,
    change_email,
    refuse_taken_address,
    same_address,
)
from superconnector.directory.domain.languages import in_language_of_account
from superconnector.directory.identity import normalise_email
from superconnector.directory.models import Person

EMAIL_CHANGE_LIFETIME = dt.timedelta(hours=24)


def request_email_change(
    user: User,
    new_email: str,
    *,
    base_url: str | None = None,
    now: dt.datetime | None = None,
) -> EmailChangeLink:
    """Mail a confirmation link to `new_email`; nothing changes until it is followed.

    Refused (AccountRefused, with a message for the form) if the address is the current
    one, or another person or account already has it.
    """
    now = now or timezone.now()
    new_email = normalise_email(new_email)
    if same_address(new_email, user.email):
        raise AccountRefused(_("%(email)s is already your address.") % {"email": new_email})
    person = Person.objects.filter(user=user).first()
    if person is not None and person.erased_at is not None:
        raise AccountRefused(_("An erased person's address cannot be changed."))
    refuse_taken_address(new_email, user=user, person=person)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Only the latest request counts: an older link mailed to a mistyped address dies.
        EmailChangeLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        link = EmailChangeLink.objects.create(
            user=user,
            new_email=new_email,
            token_hash=hash_token(token),
            expires_at=now + EMAIL_CHANGE_LIFETIME,
        )
        url = site_url(base_url) + reverse("email-change-confirm", kwargs={"token": token})
        with in_language_of_account(user):
            queue_mail(
                new_email,
                _("Confirm your new e-mail address for Superconnector"),
                _(
                    "You asked to change the e-mail address of your Superconnector account "
                    "from %(old)s to this address. Open this link and press the button to "
                    "confirm:\n\n%(url)s\n\nIt works once, for %(hours)s hours. Until then "
                    "nothing changes. If you did not ask for it, ignore this mail."
                )
                % {
                    "old": user.email,
                    "url": url,
                    "hours": int(EMAIL_CHANGE_LIFETIME.total_seconds() // 3600),
                },
                kind="email_change",
            )
    return link


def find_usable_email_change(
    token: str, *, now: dt.datetime | None = None
) -> EmailChangeLink | None:
    """The unused, unexpired change for `token` of an active account, or None (unknown,
    used, voided and expired links look alike)."""
    return find_usable_token(EmailChangeLink, token, now=now)


def confirm_email_change(token: str, *, now: dt.datetime | None = None) -> EmailChangeLink | None:
    """Spend the link and change the address: returns the link once; later calls and bad
    tokens get None. Raises AccountRefused (and changes nothing, the link stays unused) if
    the address was taken by someone else since it was asked for."""
    now = now or timezone.now()
    with transaction.atomic():
        link = find_usable_email_change(token, now=now)
        if link is None:
            return None
        # The conditional update makes the link single use under concurrent clicks.
        spent = EmailChangeLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
        if not spent:
            return None
        change_email(link.new_email, user=link.user, actor=link.user, via="confirmed link")
        return link
