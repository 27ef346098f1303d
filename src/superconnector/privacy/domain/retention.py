"""Storage limitation: delegates' personal data of an event goes `retention_days` after it.

An event is purged once `ends_on + retention_days` has passed (GDPR art. 5(1)(e), PIPL
art. 19, PDPO DPP2(2)). What counts as "the personal data of this event", and what
happens to it:

- **The people.** A person is platform-wide (recognised across events by e-mail). Someone
  whose only remaining participation is this event is anonymised in place with the
  erasure logic (name, e-mail, title, phone, what they wrote, mail to them), and their
  account is closed unless it is an organiser's or staff account, which is only unlinked.
  Someone who also takes part in another event not yet purged keeps their record for that
  event: this event's participation is moved onto an anonymous stand-in person, so that
  nothing left in this event points back to them, and nothing of the other event changes.
- **What happened at the event, about people.** Texts people wrote (request messages,
  decline reasons, outcome notes, notes in the request history) are blanked and the
  history's actors unlinked; participant keys (often a registration number or a hash of
  the e-mail) are replaced; blocks, availability, meeting suggestions and feedback are
  deleted; the published agendas' snapshots are emptied.
- **Ways to reach or act as people.** The event's outbox mail, delegates' API tokens for
  the event, sign-in links into the event's pages and uploaded delegate lists are deleted.

Kept, because they identify nobody once the above is done and carry the event's figures:
participants as anonymous rows (role, check-in, no-show), requests with their status and
priority, meetings with their slot and table, outcomes' kind and deal value, matching and
scheduling runs. Kept as they are: organisations and their opportunities (firms, not
people), organiser teams and their API tokens, the consent ledger (it stays with the
anonymised person: it shows that consent was asked, no longer who gave it), and the audit
log, which must still show who saw what; it holds organisers, paths and keys, but a
search an organiser typed may hold a name, so it has a retention period of its own
(audit_retention_days, events/domain/audit.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from superconnector.core.models import OutgoingMail, SignInLink
from superconnector.directory.models import Participant, Person, ProposedChange
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event
from superconnector.exchange.models import StagedImport
from superconnector.matchmaking.models import Feedback, MeetingSuggestion
from superconnector.meetings.domain.unlisting import unlisting_paused
from superconnector.meetings.models import (
    Availability,
    Block,
    MeetingOutcome,
    MeetingRequest,
    MeetingRequestChange,
    SchedulePublication,
)
from superconnector.privacy.domain.erasure import ERASED_NAME, anonymise_person, close_account
from superconnector.privacy.holders import registered_holders
from superconnector.privacy.models import EventPurge


@dataclass
class PurgePlan:
    """What purging one event removes, worked out before anything changes (the dry run
    prints it; the purge applies it and stores its counts)."""

    event: Event
    kept_until: dt.date
    erase: list[Person] = field(default_factory=list)  # nowhere else: anonymised in place
    detach: list[Participant] = field(default_factory=list)  # person kept for another event
    # Accounts of people in `erase` that also run events: unlinked, not closed.
    organiser_accounts: set[int] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def accounts_to_close(self) -> list[int]:
        return [
            p.user_id for p in self.erase if p.user_id and p.user_id not in self.organiser_accounts
        ]


def kept_until(event: Event) -> dt.date:
    """The last day the event's personal data is kept."""
    return event.ends_on + dt.timedelta(days=event.retention_days)


def expired_events(today: dt.date | None = None) -> list[Event]:
    """Events past their retention and not purged yet, oldest first."""
    today = today or timezone.localdate()
    candidates = Event.objects.filter(ends_on__lt=today, personal_data_purge__isnull=True)
    # In Python: adding a per-row number of days to a date differs between databases,
    # and there are few events.
    return [e for e in candidates.order_by("ends_on", "pk") if kept_until(e) < today]


def plan_purge(event: Event) -> PurgePlan:
    """Who is anonymised and who only loses this participation, with what else goes."""
    participants = list(Participant.objects.filter(event=event).select_related("person__user"))
    people = {p.person_id for p in participants}
    elsewhere = set(
        Participant.objects.filter(person_id__in=people)
        .exclude(event=event)
        .values_list("person_id", flat=True)
    )
    plan = PurgePlan(event, kept_until(event))
    for participant in participants:
        person = participant.person
        if person.erased_at is not None:
            continue  # erased before (or a stand-in already): nothing identifies them
        if person.pk in elsewhere:
            plan.detach.append(participant)
        else:
            plan.erase.append(person)
    plan.organiser_accounts = _accounts_running_events(
        [p.user_id for p in plan.erase if p.user_id is not None]
    )
    links = _event_sign_in_links(event, plan)
    plan.counts = {
        "participants": len(participants),
        "people_anonymised": len(plan.erase),
        "people_kept_for_other_events": len(plan.detach),
        "accounts_closed": len(plan.accounts_to_close),
        "mails_deleted": OutgoingMail.objects.filter(event=event).count(),
        # Delegates' API tokens (privacy/holders.py: "api_tokens_deleted").
        **{f"{h.name}_deleted": h.count_for_event(event) for h in registered_holders()},
        "sign_in_links_deleted": links.count(),
        "uploads_deleted": StagedImport.objects.filter(event=event).count(),
        "request_texts_cleared": MeetingRequest.objects.filter(event=event)
        .exclude(message="", decline_reason="")
        .count(),
        "outcome_notes_cleared": MeetingOutcome.objects.filter(meeting__event=event)
        .exclude(note="")
        .count(),
        "blocks_deleted": Block.objects.filter(event=event).count(),
        "availabilities_deleted": Availability.objects.filter(participant__event=event).count(),
        "suggestions_deleted": MeetingSuggestion.objects.filter(event=event).count(),
        "feedback_deleted": Feedback.objects.filter(event=event).count(),
    }
    return plan


def plan_expired_purges(today: dt.date | None = None) -> list[PurgePlan]:
    """The dry run: what purge_expired_events would do today, changing nothing."""
    return [plan_purge(event) for event in expired_events(today)]


def purge_expired_events(today: dt.date | None = None, *, actor=None) -> list[EventPurge]:
    """Purge every event past its retention; each in its own transaction, so that a
    failure leaves the events before it purged and itself untouched."""
    purged = []
    for event in expired_events(today):
        record = purge_event(event, actor=actor)
        if record is not None:
            purged.append(record)
    return purged


def purge_event(event: Event, *, actor=None, now: dt.datetime | None = None) -> EventPurge | None:
    """Anonymise the event's delegates' personal data (see the module's description).

    Returns None if the event was purged already, also by a purge running at the same
    moment: the EventPurge row is written first, and only one per event can be.
    """
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = EventPurge.objects.create(event=event, purged_at=now)
        except IntegrityError:
            return None
        plan = plan_purge(event)
        _delete_ways_to_reach_people(event, plan)
        _clear_what_people_wrote(event)
        # The event is over: there is nothing to close and nobody to tell, so anonymising
        # its people does not run the unlisting cascade (meetings/domain/unlisting.py).
        with unlisting_paused():
            for person in plan.erase:
                _erase(person, plan, now)
        _detach(plan.detach, now)
        _rekey_participants(event)
        record.counts = plan.counts
        record.save(update_fields=["counts"])
        record_audit(actor, "purge", f"event:{event.slug}", event=event, **plan.counts)
    return record


def _delete_ways_to_reach_people(event: Event, plan: PurgePlan) -> None:
    # Links before accounts are closed: they are found through the people's accounts.
    _event_sign_in_links(event, plan).delete()
    OutgoingMail.objects.filter(event=event).delete()
    for holder in registered_holders():
        holder.delete_for_event(event)
    StagedImport.objects.filter(event=event).delete()


def _clear_what_people_wrote(event: Event) -> None:
    MeetingRequest.objects.filter(event=event).update(message="", decline_reason="")
    MeetingRequestChange.objects.filter(request__event=event).update(note="", actor=None)
    MeetingOutcome.objects.filter(meeting__event=event).update(note="")
    SchedulePublication.objects.filter(event=event).update(snapshot={})
    Block.objects.filter(event=event).delete()
    Availability.objects.filter(participant__event=event).delete()
    MeetingSuggestion.objects.filter(event=event).delete()
    Feedback.objects.filter(event=event).delete()
    # What the event's lists proposed for shared records came from its delegates' data.
    ProposedChange.objects.filter(event=event).delete()


def _erase(person: Person, plan: PurgePlan, now: dt.datetime) -> None:
    anonymise_person(person, now=now)
    user = person.user
    if user is None:
        return
    if user.pk in plan.organiser_accounts:
        # Their organiser or staff account is theirs for that work: keep it, unlinked.
        person.user = None
        person.save(update_fields=["user", "updated_at"])
    else:
        close_account(user, person)


def _detach(participants: list[Participant], now: dt.datetime) -> None:
    """Move each participation onto an anonymous stand-in; the real person keeps theirs."""
    stand_ins = Person.objects.bulk_create(
        Person(
            name=ERASED_NAME,
            email=f"purged-{participant.pk}@erased.invalid",
            profile_hidden=True,
            contact_hidden=True,
            erased_at=now,
        )
        for participant in participants
    )
    for participant, stand_in in zip(participants, stand_ins, strict=True):
        participant.person = stand_in
    Participant.objects.bulk_update(participants, ["person"], batch_size=1000)


def _rekey_participants(event: Event) -> None:
    # Keys are often a registration number or derived from the e-mail address.
    participants = list(Participant.objects.filter(event=event).only("pk", "key"))
    for participant in participants:
        participant.key = f"purged-{participant.pk}"
    Participant.objects.bulk_update(participants, ["key"], batch_size=1000)


def _event_sign_in_links(event: Event, plan: PurgePlan):
    """Links into the event's pages of its delegates, and every link of accounts closed."""
    users = Participant.objects.filter(event=event, person__user__isnull=False).values(
        "person__user"
    )
    prefix = reverse("event-detail", kwargs={"slug": event.slug})
    return SignInLink.objects.filter(
        Q(user__in=users, next_url__startswith=prefix) | Q(user__in=plan.accounts_to_close)
    )


def _accounts_running_events(user_ids: list[int]) -> set[int]:
    """Those of these accounts that are platform staff or in an organiser team."""
    return set(
        get_user_model()
        .objects.filter(pk__in=[pk for pk in user_ids if pk])
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(teams__isnull=False))
        .values_list("pk", flat=True)
    )
