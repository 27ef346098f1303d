"""Self-service export of everything we hold on a person, and erasure that anonymises it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.directory.domain.visibility import UNLISTED_NAME, nameable_ids
from superconnector.directory.models import Participant, Person, ProposedChange
from superconnector.events.domain.audit import record_audit
from superconnector.exchange.models import StagedImport
from superconnector.meetings.models import (
    MeetingOutcome,
    MeetingRequest,
    MeetingRequestChange,
    RequestStatus,
    SchedulePublication,
)
from superconnector.privacy.domain.consent import current_consents
from superconnector.privacy.holders import registered_holders
from superconnector.privacy.models import ConsentRecord

ERASED_NAME = "Erased delegate"


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def export_person(person: Person) -> dict:
    """Everything held on `person`, as one JSON-ready document (the right of access)."""
    participations = Participant.objects.filter(person=person).select_related(
        "event", "event_organisation__organisation"
    )
    requests = list(
        MeetingRequest.objects.filter(
            Q(sender__person=person) | Q(recipient__person=person)
        ).select_related("event", "sender__person", "recipient__person")
    )
    # The other side of each request is named only if the person may still see them
    # (directory/domain/visibility.py): someone who left the listings is not named here.
    named: set[int] = set()
    for own in participations:
        named |= nameable_ids(
            own, {r.sender_id for r in requests} | {r.recipient_id for r in requests}
        )

    def name(participant) -> str:
        return participant.person.name if participant.pk in named else str(UNLISTED_NAME)

    return {
        "person": {
            "name": person.name,
            "name_zh": person.name_zh,
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
                "from": name(r.sender),
                "to": name(r.recipient),
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

    Meetings that already began stay, so the counterpart's agenda and the organiser's
    figures still add up, but nothing in them identifies the person any more; open requests
    and meetings still to come are closed and the counterparts told, since an erased person
    is unlisted (meetings/domain/unlisting.py, run by the save in anonymise_person).
    """
    anonymise_person(person)
    if person.user is not None:
        close_account(person.user, person)
    record_audit(actor, "erase", f"person:{person.pk}")


def anonymise_person(person: Person, *, now: dt.datetime | None = None) -> None:
    """Replace what identifies `person` and mark them erased; their account is untouched.

    That is their record; what they and their counterparts wrote in requests, the
    requests' history and outcomes; the mail sent to them; and, in the events they took
    part in, where others' copies name them: mail to counterparts (name and the contact
    details a business card showed), the published agendas and the uploaded delegate lists
    that held their row."""
    identifying = _identifying_strings(person)
    old_email, placeholder = person.email, erased_email(person)
    event_ids = list(Participant.objects.filter(person=person).values_list("event", flat=True))
    person.name = ERASED_NAME
    person.name_zh = ""
    person.email = placeholder
    person.title = ""
    person.phone = ""
    person.languages = []
    person.profile_hidden = person.contact_hidden = True
    person.erased_at = now or timezone.now()
    # Saved erased, the person leaves the listings: their open requests and meetings still
    # to come are closed and the counterparts told (meetings/signals.py -> withdraw_unlisted).
    person.save()
    # Proposals about the person hold their old and proposed title, phone, name.
    ProposedChange.objects.filter(person=person).delete()
    requests = MeetingRequest.objects.filter(Q(sender__person=person) | Q(recipient__person=person))
    requests.update(message="", decline_reason="")
    # Decline reasons are copied into the history; the other notes are the system's own.
    MeetingRequestChange.objects.filter(
        request__in=requests, to_status=RequestStatus.DECLINED
    ).update(note="")
    MeetingOutcome.objects.filter(reported_by__person=person).update(note="")
    OutgoingMail.objects.filter(to__iexact=old_email).update(to=placeholder, subject="", body="")
    _scrub_mail(event_ids, identifying)
    _scrub_publications(event_ids, identifying)
    _scrub_uploads(event_ids, identifying)
    # Whatever the audience apps hold (privacy/holders.py).
    for holder in registered_holders():
        holder.scrub_person(event_ids, functools.partial(_scrubbed, identifying=identifying))


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for re.sub that is `text` as it stands (backslashes not read)."""
    return lambda _match: text


def _identifying_strings(person: Person) -> list[tuple[str, str]]:
    """(what identifies the person, what replaces it). A phone number under six characters
    or a name under two would match too much to be replaced safely."""
    pairs = [(person.email, erased_email(person)), (person.name, ERASED_NAME)]
    if person.name_zh.strip():
        pairs.append((person.name_zh.strip(), ERASED_NAME))
    if len(person.phone.strip()) >= 6:
        pairs.append((person.phone.strip(), ""))
    return [(old, new) for old, new in pairs if len(old.strip()) >= 2]


def _scrubbed(value, identifying: list[tuple[str, str]]):
    """`value` (text, or JSON made of lists and dicts) with the identifying strings replaced.
    Latin names are matched as whole words (Li Na is not in Li Nan); Chinese text has no
    spaces between words, so a Chinese name is matched wherever it stands."""
    if isinstance(value, str):
        for old, new in identifying:
            pattern = re.escape(old)
            if old[0].isascii() and old[-1].isascii():
                pattern = rf"(?<!\w){pattern}(?!\w)"
            value = re.sub(pattern, _literally(new), value, flags=re.I | re.A)
        return value
    if isinstance(value, list):
        return [_scrubbed(item, identifying) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifying) for key, item in value.items()}
    return value


def _scrub_mail(event_ids: list[int], identifying: list[tuple[str, str]]) -> None:
    mentions = Q()
    for old, _new in identifying:
        mentions |= Q(subject__icontains=old) | Q(body__icontains=old)
    changed = []
    candidates = OutgoingMail.objects.filter(mentions, event__in=event_ids)
    for mail in candidates.only("subject", "body"):
        subject, body = _scrubbed(mail.subject, identifying), _scrubbed(mail.body, identifying)
        if (subject, body) != (mail.subject, mail.body):
            mail.subject, mail.body = subject, body
            changed.append(mail)
    OutgoingMail.objects.bulk_update(changed, ["subject", "body"], batch_size=500)


def _scrub_publications(event_ids: list[int], identifying: list[tuple[str, str]]) -> None:
    # Rewritten, not emptied: the next publication compares against it, and an emptied
    # snapshot would announce every agenda as changed.
    for publication in SchedulePublication.objects.filter(event__in=event_ids):
        snapshot = _scrubbed(publication.snapshot, identifying)
        if snapshot != publication.snapshot:
            publication.snapshot = snapshot
            publication.save(update_fields=["snapshot"])


def _scrub_uploads(event_ids: list[int], identifying: list[tuple[str, str]]) -> None:
    """Uploaded lists hold the person's row as it was uploaded. Those still waiting for
    confirmation are deleted, since confirming one would bring the person back; applied
    ones lose the file and keep their report, scrubbed (a message may quote a cell)."""
    StagedImport.objects.filter(event__in=event_ids, applied_at__isnull=True).delete()
    for upload in StagedImport.objects.filter(event__in=event_ids).defer("content"):
        upload.content, upload.report = b"", _scrubbed(upload.report, identifying)
        upload.save(update_fields=["content", "report"])


def close_account(user, person: Person) -> None:
    """Disable `person`'s account for good: no password, no sessions, no API tokens."""
    user.is_active = False  # sessions die too: inactive users are never authenticated
    user.email = erased_email(person)
    user.name = ""
    user.set_unusable_password()
    user.save()
    # API tokens, and whatever else acts as the account (privacy/holders.py).
    for holder in registered_holders():
        holder.close_account(user, person)


def erased_email(person: Person) -> str:
    return f"erased-{person.pk}@erased.invalid"
