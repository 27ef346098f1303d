"""Inviting delegates: each invitation carries a one-time sign-in link to the event's portal.

Organisers send them from the back office (backoffice/views/invitations.py); accounts are
made for people who have none, by the directory's account rules (accounts.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from superconnector.core.domain.signin import create_sign_in_link
from superconnector.core.models import User
from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.accounts import AccountRefused, account_for
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.models import Participant
from superconnector.events.models import Event

# Invitations wait in an inbox for days before they are opened; they are still single use.
INVITATION_LIFETIME = dt.timedelta(days=14)


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
        participants = participants.select_related(
            "person__user", "event_organisation__organisation"
        )
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
            # An account made just now has chosen no language: the person's languages say.
            with in_language_of_participant(participant):
                url = create_sign_in_link(
                    user,
                    reverse("portal:recommendations", kwargs={"slug": event.slug}),
                    lifetime=INVITATION_LIFETIME,
                    base_url=base_url,
                )
                queue_mail(
                    user.email,
                    _("Your invitation to %(event)s") % {"event": display_name(event)},
                    _(
                        "Dear %(name)s,\n\nyou are registered for %(event)s. Open this link to "
                        "see your recommended contacts, request meetings and keep your "
                        "organisation's profile up to date:\n\n%(url)s\n\n"
                        "The link works once, for %(days)s days; later, ask for a new one on "
                        "the sign-in page."
                    )
                    % {
                        "name": participant.person.name,
                        "event": display_name(event),
                        "url": url,
                        "days": INVITATION_LIFETIME.days,
                    },
                    event=event,
                    kind="invitation",
                )
            result.queued += 1
    return result
