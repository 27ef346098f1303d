"""The links mails give to act on: absolute, from the configured site URL.

A reader who is not signed in lands on the login page, which brings them back to the
link's page afterwards (and can mail them a one-time sign-in link that does the same).
"""

from __future__ import annotations

from django.urls import reverse

from superconnector.core.domain.signin import site_url
from superconnector.events.models import Event


def meetings_page_url(event: Event, request_pk: int | None = None) -> str:
    """The delegate's meetings page, scrolled to one request when given."""
    url = site_url() + reverse("portal:meetings", kwargs={"slug": event.slug})
    return f"{url}#request-{request_pk}" if request_pk is not None else url


def agenda_page_url(event: Event) -> str:
    return site_url() + reverse("portal:agenda", kwargs={"slug": event.slug})
