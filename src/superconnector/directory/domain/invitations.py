"""Inviting delegates: each invitation carries a one-time sign-in link to the event's portal.

Organisers send them from the back office (backoffice/views/invitations.py); accounts are
made for people who have none, by the directory's account rules (accounts.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from superconnector.core.domain.mailings import audit_figures, send_each
from superconnector.core.domain.runs import Progress
from superconnector.core.domain.signin import create_sign_in_link
from superconnector.core.models import BulkMailing, User
from superconnector.core.names import display_name
from superconnector.core.outbox import queue_mail
from superconnector.directory.domain.accounts import AccountRefused, account_for
from superconnector.directory.domain.languages import in_language_of_participant
from superconnector.directory.models import Participant
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event

# Invitations wait in an inbox for days before they are opened; they are still single use.
INVITATION_LIFETIME = dt.timedelta(days=14)


def user_for_participant(participant: Participant) -> User:
    """The participant's account, made (without a password) and linked if there is none.

    Raises AccountRefused for a person whose linked account has another address: the
    rules are `directory.domain.accounts.account_for`'s."""
    return account_for(participant.person)


@dataclass(frozen=True)
class Refusal:
    """Why one participant gets no invitation: a code (kept in a mailing's figures) and
    the sentence for the organiser."""

    code: str  # "erased", "disabled" or "account"
    message: str


@dataclass
class Invitations:
    """What `invite_participants` did: how many mails it queued, and whom it left out, why."""

    queued: int = 0
    refused: list[tuple[Participant, str]] = field(default_factory=list)


def invite_participant(
    event: Event, participant: Participant, *, base_url: str | None = None
) -> Refusal | None:
    """Queue one invitation with its own sign-in link to the event's portal, creating the
    account if the person has none; or say why not (the caller's transaction keeps the
    account and the mail together, or neither).

    The mail goes to the address of the account the link signs in to, which is always the
    person's own (`account_for` refuses anything else): a link never reaches a mailbox
    other than its account's. Erased people, disabled accounts and people whose account
    has another address are refused."""
    if participant.person.erased_at is not None:
        return Refusal("erased", _("erased"))
    try:
        with transaction.atomic():
            user = user_for_participant(participant)
    except AccountRefused as refused:
        return Refusal("account", str(refused))
    if not user.is_active:
        return Refusal("disabled", _("the account is disabled"))
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
    return None


def invite_participants(
    event: Event, participants: Iterable[Participant], *, base_url: str | None = None
) -> Invitations:
    """Queue one invitation per participant (invite_participant), all in one transaction;
    those refused are reported with why."""
    if isinstance(participants, QuerySet):
        participants = participants.select_related(
            "person__user", "event_organisation__organisation"
        )
    result = Invitations()
    with transaction.atomic():
        for participant in participants:
            refusal = invite_participant(event, participant, base_url=base_url)
            if refusal is None:
                result.queued += 1
            else:
                result.refused.append((participant, refusal.message))
    return result


def invitation_work(run: BulkMailing, progress: Progress) -> dict[str, Any]:
    """The work of a bulk mailing of invitations (run in the background, see
    backoffice/mailings.py): one invitation to each participant the organiser confirmed,
    each in its own transaction, the count on the run as they go; then the audit log."""
    event = run.event
    participants = Participant.objects.filter(event=event, pk__in=run.recipients).select_related(
        "person__user", "event_organisation__organisation"
    )

    def send(participant: Participant) -> str | None:
        refusal = invite_participant(event, participant, base_url=run.base_url or None)
        return refusal.code if refusal is not None else None

    stats = send_each(run, {p.pk: p for p in participants}, send, progress)
    record_audit(
        run.created_by, "send", "invitations", event=event, mailing=run.pk, **audit_figures(stats)
    )
    return stats
