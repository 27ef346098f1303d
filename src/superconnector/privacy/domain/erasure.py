"""Self-service export of everything we hold on a person, and erasure that anonymises it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant, Person
from superconnector.meetings.models import MeetingOutcome, MeetingRequest
from superconnector.privacy.domain.audit import record_audit
from superconnector.privacy.domain.consent import current_consents
from superconnector.privacy.models import ConsentRecord

ERASED_NAME = "Erased delegate"


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def export_person(person: Person) -> dict:
    """Everything held on `person`, as one JSON-ready document (the right of access)."""
    participations = Participant.objects.filter(person=person).select_related(
        "event", "event_organisation__organisation"
    )
    requests = MeetingRequest.objects.filter(
        Q(sender__person=person) | Q(recipient__person=person)
    ).select_related("event", "sender__person", "recipient__person")
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "title": person.title,
            "phone": person.phone,
            "languages": person.languages,
            "created_at": _iso(person.created_at),
        },
        "participations": [
            {
                "event": p.event.slug,
                "organisation": p.event_organisation.organisation.name,
                "role": p.role,
                "checked_in_at": _iso(p.checked_in_at),
                "absent": p.absent,
            }
            for p in participations
        ],
        "meeting_requests": [
            {
                "event": r.event.slug,
                "from": r.sender.person.name,
                "to": r.recipient.person.name,
                "status": r.status,
                "message": r.message,
                "decline_reason": r.decline_reason,
                "created_at": _iso(r.created_at),
            }
            for r in requests
        ],
        "outcomes": [
            {"kind": o.kind, "value": str(o.value) if o.value is not None else None, "note": o.note}
            for o in MeetingOutcome.objects.filter(reported_by__person=person)
        ],
        "consents": {
            "current": current_consents(person),
            "history": [
                {
                    "purpose": c.purpose,
                    "granted": c.granted,
                    "version": c.version,
                    "channel": c.channel,
                    "at": _iso(c.recorded_at),
                }
                for c in ConsentRecord.objects.filter(person=person)
            ],
        },
        "mail": [
            {"subject": m.subject, "created_at": _iso(m.created_at)}
            for m in OutgoingMail.objects.filter(to__iexact=person.email)
        ],
    }


@transaction.atomic
def erase_person(person: Person, *, actor=None) -> None:
    """Anonymise `person` everywhere and block their login (the right to erasure).

    Meetings stay, so the counterpart's agenda and the organiser's figures still add up,
    but nothing in them identifies the person any more.
    """
    anonymise_person(person)
    if person.user is not None:
        close_account(person.user, person)
    record_audit(actor, "erase", f"person:{person.pk}")


def anonymise_person(person: Person, *, now: dt.datetime | None = None) -> None:
    """Replace what identifies `person` (their record, what they wrote in requests and
    outcomes, the mail sent to them) and mark them erased; their account is untouched."""
    old_email = person.email
    placeholder = erased_email(person)
    person.name = ERASED_NAME
    person.email = placeholder
    person.title = ""
    person.phone = ""
    person.languages = []
    person.profile_hidden = True
    person.erased_at = now or timezone.now()
    person.save()
    MeetingRequest.objects.filter(Q(sender__person=person) | Q(recipient__person=person)).update(
        message="", decline_reason=""
    )
    MeetingOutcome.objects.filter(reported_by__person=person).update(note="")
    OutgoingMail.objects.filter(to__iexact=old_email).update(to=placeholder, subject="", body="")


def close_account(user, person: Person) -> None:
    """Disable `person`'s account for good: no password, no sessions, no API tokens."""
    user.is_active = False  # sessions die too: inactive users are never authenticated
    user.email = erased_email(person)
    user.name = ""
    user.set_unusable_password()
    user.save()
    _revoke_tokens(user=user, person=person)


def erased_email(person: Person) -> str:
    return f"erased-{person.pk}@erased.invalid"


def _revoke_tokens(*, user, person) -> None:
    from superconnector.api.models import ApiToken

    now = timezone.now()
    ApiToken.objects.filter(
        Q(user=user) | Q(participant__person=person), revoked_at__isnull=True
    ).update(revoked_at=now)
