"""The links mails give to act on: absolute, from the configured site URL.

A reader who is not signed in lands on the login page, which brings them back to the
link's page afterwards (and can mail them a one-time sign-in link that does the same).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from superconnector.core.domain.signin import create_sign_in_link, site_url
from superconnector.directory.domain.accounts import AccountRefused, account_for
from superconnector.directory.models import Participant
from superconnector.events.models import Event

# A request waits days for an answer; the link is still single use.
REQUEST_LINK_LIFETIME = dt.timedelta(days=7)


def meetings_page_url(event: Event, request_pk: int | None = None) -> str:
    """The delegate's meetings page, scrolled to one request when given."""
    url = site_url() + reverse("portal:meetings", kwargs={"slug": event.slug})
    return f"{url}#request-{request_pk}" if request_pk is not None else url


def agenda_page_url(event: Event) -> str:
    return site_url() + reverse("portal:agenda", kwargs={"slug": event.slug})


def request_sign_in_url(participant: Participant, request_pk: int) -> str | None:
    """A one-time sign-in link that opens the request on `participant`'s meetings page, for
    a reader who may not be signed in (or has no account yet: one is made, as for an
    invitation, by the directory's rules). None where no link may be made (an account with
    another address, a disabled one): the plain page link is all they get."""
    try:
        with transaction.atomic():
            user = account_for(participant.person)
    except AccountRefused:
        return None
    if not user.is_active:
        return None
    page = reverse("portal:meetings", kwargs={"slug": participant.event.slug})
    return create_sign_in_link(user, f"{page}#request-{request_pk}", lifetime=REQUEST_LINK_LIFETIME)
