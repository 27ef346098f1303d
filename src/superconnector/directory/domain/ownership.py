"""Who owns shared organisations and people, and how a change to one is applied.

Organisations and people are platform-wide: the same firm and the same delegate come back
from one event to the next. This module is the one place that decides what an event's
import, an organiser's edit or an owner's own edit may do to them (docs/import-export.md,
"Who owns shared records"):

- A record's *owners* (`owners_of`, `is_owner`): for a person, the person themself (their
  own active account). For an organisation, the people with an active account who take
  part for it in some event AND are vouched for: their e-mail domain (their login, which
  is always their own address) is the organisation's website host or a subdomain of it,
  and not a public mail provider; or they were its delegates in the event that first
  brought it onto the platform (its earliest EventOrganisation), unless staff marked
  owners for it; or platform staff marked them as an owner (OrganisationOwner). Being a
  delegate alone vouches for nothing: any event may link an existing organisation and
  add delegates of its own choosing.
- A record is *shared* with respect to the acting event when another event also shows it
  (a Participant / EventOrganisation of another event links it) or when it has an owner.
- A blank incoming value never erases anything (imports and organiser edits).
- An empty field is filled, except an organisation's website on a shared record: the
  website vouches for owners, so setting it is a proposal unless an owner or staff act.
- A different non-empty value is applied directly when the record is not shared, or when
  the actor is its owner or platform staff; otherwise it becomes a ProposedChange that
  the owner or staff accepts or rejects. An identical pending proposal is not repeated.
- A person's e-mail is never among the fields here: only the person (confirmed by a link
  to the new address) or staff change it.
- Every change applied to a shared record, and every proposal made, is written to the
  audit log of every event that shows the record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Field, Q, QuerySet
from django.utils import timezone

from superconnector.directory.identity import fold_name
from superconnector.directory.labels import (
    normalise_region,
    normalise_sectors,
    region_label,
    sectors_text,
)
from superconnector.directory.models import (
    EventOrganisation,
    Organisation,
    OrganisationOwner,
    Participant,
    Person,
    ProposalSource,
    ProposalStatus,
    ProposedChange,
)
from superconnector.events.models import AuditEntry, Event

ORGANISATION_FIELDS = (
    "name",
    "name_zh",
    "kind",
    "region",
    "sectors",
    "description",
    "language",
    "website",
)
# Not the e-mail: it is the person's login and where their sign-in links go.
PERSON_FIELDS = ("name", "name_zh", "title", "phone", "languages")
FIELDS = {"organisation": ORGANISATION_FIELDS, "person": PERSON_FIELDS}
# Fields that decide who owns the record: even filling them on a shared record is for its
# owners (or staff) to decide, or an event could set a website of its own choosing on
# another event's organisation and so make its own delegates that organisation's owners.
VOUCHING_FIELDS = frozenset({"website"})

# Addresses anyone can open: their domain says nothing about who someone works for.
# A subdomain of one counts as the same (vip.163.com, mail.yahoo.com).
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.com",
        "mail.com",
        "yandex.com",
        "protonmail.com",
        "proton.me",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "foxmail.com",
        "yeah.net",
        "aliyun.com",
        "139.com",
        "189.cn",
        "netvigator.com",
    }
)
# Second-level suffixes under which anyone registers a domain: a website host that is one
# of these ("com.cn", "co.uk") would vouch for every address below it.
PUBLIC_SUFFIXES = frozenset(
    {
        "com.cn",
        "net.cn",
        "org.cn",
        "gov.cn",
        "edu.cn",
        "ac.cn",
        "com.hk",
        "org.hk",
        "net.hk",
        "edu.hk",
        "gov.hk",
        "com.mo",
        "com.tw",
        "org.tw",
        "edu.tw",
        "com.sg",
        "edu.sg",
        "co.uk",
        "org.uk",
        "ac.uk",
        "co.jp",
        "ac.jp",
        "co.kr",
        "com.au",
        "edu.au",
    }
)

CHUNK = 5_000  # ids per IN (...) query: well under every database's parameter limit


class Outcome:
    FILL = "fill"  # the field was empty: filled
    APPLY = "apply"  # changed directly (record not shared, or its owner / staff acting)
    PROPOSE = "propose"  # a proposal for the owner to accept or reject
    PENDING = "pending"  # the same change is already proposed and awaits the owner
    IGNORED_BLANK = "ignored-blank"  # a blank incoming value: nothing is erased
    CLEAR = "clear"  # the owner emptied the field on their own profile form

    APPLIED = frozenset({FILL, APPLY, CLEAR})


def is_blank(value: Any) -> bool:
    return (
        value is None
        or value == ""
        or value == []
        or (isinstance(value, str) and not value.strip())
    )


def normalised(field_name: str, value: Any) -> Any:
    """The stored form of a value: '' for a blank text, [] for a blank list."""
    if field_name == "sectors":  # 人工智能 and ai are one sector (directory/labels.py)
        return normalise_sectors(value)
    if field_name == "region":
        return normalise_region(value)
    if field_name == "languages":
        return list(value or [])
    return "" if value is None else value


def as_text(value: Any) -> str:
    """A value as one line of text for a report: lists joined with commas."""
    return ", ".join(value) if isinstance(value, list) else str(value or "")


_MODELS = {"organisation": Organisation, "person": Person}


def field_label(record_type: str, field_name: str) -> str:
    """The field's name as the interface says it, in the active language ("job title", 职务),
    not its key: organisers and owners read these reports."""
    try:
        field = _MODELS[record_type]._meta.get_field(field_name)
    except (KeyError, LookupError):
        return field_name
    return str(field.verbose_name) if isinstance(field, Field) else field_name


def value_label(record_type: str, field_name: str, value: Any) -> str:
    """A stored value as the interface says it: a kind's or language's label, sectors and
    a region in the active language (律师事务所, not service_provider; 人工智能, not ai);
    other values as they are."""
    try:
        field = _MODELS[record_type]._meta.get_field(field_name)
    except (KeyError, LookupError):
        field = None
    if record_type == "organisation" and field_name == "sectors":
        return sectors_text(value if isinstance(value, list) else [])
    if record_type == "organisation" and field_name == "region" and isinstance(value, str):
        return region_label(value)
    choices = dict(field.flatchoices) if isinstance(field, Field) else {}
    if choices and isinstance(value, str):
        return str(choices.get(value, value))
    return as_text(value)


def same_value(field_name: str, current: Any, incoming: Any) -> bool:
    if is_blank(current) and is_blank(incoming):
        return True
    if field_name == "name" and isinstance(current, str) and isinstance(incoming, str):
        # 'ACME  Ltd' and 'Acme Ltd' name the same firm: not worth a proposal.
        return fold_name(current) == fold_name(incoming)
    return normalised(field_name, current) == normalised(field_name, incoming)


def decide(
    field_name: str,
    current: Any,
    incoming: Any,
    *,
    shared: bool,
    may_apply: bool,
    may_clear: bool = False,
    pending: bool = False,
) -> str | None:
    """The outcome of one incoming value for one field; None when there is no difference.

    `may_apply`: the actor is the record's owner or platform staff. `may_clear`: the owner
    emptied the field on their own form (an explicit act, unlike a blank import cell).
    `pending`: the same value is already proposed and awaits the owner.
    """
    if is_blank(incoming):
        if is_blank(current):
            return None
        return Outcome.CLEAR if may_clear else Outcome.IGNORED_BLANK
    if same_value(field_name, current, incoming):
        return None
    if is_blank(current) and not (field_name in VOUCHING_FIELDS and shared and not may_apply):
        return Outcome.FILL
    if not shared or may_apply:
        return Outcome.APPLY
    return Outcome.PENDING if pending else Outcome.PROPOSE


# --- who shows a record, who owns it -----------------------------------------------------------


@dataclass
class Sharing:
    """For a batch of records of one type: the events showing each and which have owners."""

    record_type: str
    acting_event_id: int | None
    events: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    owned: set[int] = field(default_factory=set)
    event_labels: dict[int, str] = field(default_factory=dict)
    # (record id, field) -> proposed values pending for it
    pending: dict[tuple[int, str], list] = field(default_factory=lambda: defaultdict(list))

    def other_events(self, record_id: int | None) -> list[str]:
        if record_id is None:
            return []
        return sorted(
            self.event_labels.get(e, str(e))
            for e in self.events.get(record_id, ())
            if e != self.acting_event_id
        )

    def showing(self, record_id: int) -> set[int]:
        """Every event that shows the record, the acting one included."""
        shown = set(self.events.get(record_id, ()))
        if self.acting_event_id is not None:
            shown.add(self.acting_event_id)
        return shown

    def is_shared(self, record_id: int | None) -> bool:
        if record_id is None:
            return False
        others = self.events.get(record_id, set()) - {self.acting_event_id}
        return bool(others) or record_id in self.owned

    def is_pending(self, record_id: int, field_name: str, value: Any) -> bool:
        return any(
            same_value(field_name, proposed, value)
            for proposed in self.pending.get((record_id, field_name), ())
        )


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def load_sharing(record_type: str, ids: Iterable[int], acting_event: Event | None) -> Sharing:
    """Batched: a few queries per 5,000 records, never one per record."""
    sharing = Sharing(record_type, acting_event.pk if acting_event else None)
    for chunk in _chunks(i for i in ids if i is not None):
        links: QuerySet[Any, tuple[int, int]]
        if record_type == "organisation":
            links = EventOrganisation.objects.filter(organisation_id__in=chunk).values_list(
                "organisation_id", "event_id"
            )
            owners = _organisation_owners(chunk)
            proposals = ProposedChange.objects.filter(
                organisation_id__in=chunk, status=ProposalStatus.PENDING
            ).values_list("organisation_id", "field", "proposed_value")
        else:
            links = Participant.objects.filter(person_id__in=chunk).values_list(
                "person_id", "event_id"
            )
            owners = _person_owners(chunk)
            proposals = ProposedChange.objects.filter(
                person_id__in=chunk, status=ProposalStatus.PENDING
            ).values_list("person_id", "field", "proposed_value")
        for record_id, event_id in links:
            sharing.events[record_id].add(event_id)
        sharing.owned.update(record_id for record_id, users in owners.items() if users)
        for record_id, field_name, value in proposals:
            sharing.pending[(record_id, field_name)].append(value)
    event_ids = {e for shown in sharing.events.values() for e in shown}
    if acting_event is not None:
        event_ids.add(acting_event.pk)
    for chunk in _chunks(event_ids):
        sharing.event_labels.update(Event.objects.filter(pk__in=chunk).values_list("pk", "slug"))
    return sharing


def mail_domain(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().rstrip(".").lower()


def _under(domain: str, parents: Iterable[str]) -> bool:
    return any(domain == parent or domain.endswith(f".{parent}") for parent in parents)


def domain_vouches(email: str, website_host: str) -> bool:
    """Whether an address's domain shows that its holder works for the site's organisation:
    the domain is the website's host or a subdomain of it, and anyone could not get such an
    address (public mail providers) or such a site (a bare public suffix)."""
    domain, host = mail_domain(email), (website_host or "").strip().rstrip(".").lower()
    if not domain or "." not in host or host in PUBLIC_SUFFIXES:
        return False
    if _under(domain, PUBLIC_MAIL_DOMAINS):
        return False
    return _under(domain, [host])


def _organisation_owners(ids: list[int]) -> dict[int, set[int]]:
    """{organisation id: user ids of its owners} for one chunk of ids (four queries)."""
    hosts = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "website_host"))
    first_event: dict[int, int] = {}
    for organisation_id, event_id in (
        EventOrganisation.objects.filter(organisation_id__in=ids)
        .order_by("organisation_id", "created_at", "pk")
        .values_list("organisation_id", "event_id")
    ):
        first_event.setdefault(organisation_id, event_id)
    marked = set(
        OrganisationOwner.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "person_id"
        )
    )
    owners: dict[int, set[int]] = defaultdict(set)
    delegates = Participant.objects.filter(
        event_organisation__organisation_id__in=ids,
        person__user__is_active=True,
        person__erased_at__isnull=True,
    ).values_list(
        "event_organisation__organisation_id",
        "event_id",
        "person_id",
        "person__user_id",
        "person__user__email",
    )
    # Once staff mark owners for an organisation, its first event no longer vouches: that
    # is how staff settle an organisation an event brought on first with delegates of its
    # own choosing (docs/import-export.md, "Who owns shared records").
    staff_settled = {organisation_id for organisation_id, _person_id in marked}
    for organisation_id, event_id, person_id, user_id, email in delegates:
        first = organisation_id not in staff_settled and event_id == first_event.get(
            organisation_id
        )
        if (
            first
            or (organisation_id, person_id) in marked
            or domain_vouches(email, hosts.get(organisation_id, ""))
        ):
            owners[organisation_id].add(user_id)
    return owners


def _person_owners(ids: list[int]) -> dict[int, set[int]]:
    owners: dict[int, set[int]] = defaultdict(set)
    for person_id, user_id in Person.objects.filter(pk__in=ids, user__is_active=True).values_list(
        "pk", "user_id"
    ):
        owners[person_id].add(user_id)
    return owners


def owners_of(record_type: str, ids: Iterable[int]) -> dict[int, set[int]]:
    """{record id: user ids of its owners} (batched). The one owner rule: a person is owned
    by their own active account; an organisation by its vouched delegates (module doc)."""
    owners: dict[int, set[int]] = {}
    find = _organisation_owners if record_type == "organisation" else _person_owners
    for chunk in _chunks(i for i in ids if i is not None):
        owners.update(find(chunk))
    return owners


def owned_by(user, record_type: str, ids: Iterable[int]) -> set[int]:
    """Which of these records `user` owns: their own person, the organisations they are a
    vouched delegate of (see owners_of). A delegate who is not vouched owns nothing."""
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        return set()
    ids = set(ids) - {None}
    if record_type == "person":
        return {pk for pk in Person.objects.filter(user=user).values_list("pk", flat=True)} & ids
    mine = set(
        Participant.objects.filter(person__user=user).values_list(
            "event_organisation__organisation_id", flat=True
        )
    )
    owners = owners_of("organisation", mine & ids)
    return {pk for pk, users in owners.items() if user.pk in users}


def is_owner(user, record: Organisation | Person) -> bool:
    record_type = "organisation" if isinstance(record, Organisation) else "person"
    return record.pk in owned_by(user, record_type, [record.pk])


def is_platform_staff(user) -> bool:
    return bool(user is not None and getattr(user, "is_staff", False) and user.is_active)


def record_owner_mark(mark: OrganisationOwner, *, actor, granted: bool) -> None:
    """Audit staff marking (or unmarking) a person as an organisation's owner, in every
    event that shows the organisation (or the platform's log if none does)."""
    events = set(
        EventOrganisation.objects.filter(organisation_id=mark.organisation_id).values_list(
            "event_id", flat=True
        )
    )
    detail = {"person": mark.person_id, "email": mark.person.email, "note": mark.note}
    action = "grant-owner" if granted else "revoke-owner"
    AuditEntry.objects.bulk_create(
        _audit_entries(actor, action, "organisation", mark.organisation_id, events, **detail)
        or _audit_entries(actor, action, "organisation", mark.organisation_id, [None], **detail)
    )


# --- planning and applying changes -------------------------------------------------------------


@dataclass
class FieldChange:
    """One field of one existing record, and what happens to it."""

    record_type: str  # "organisation" or "person"
    record: Organisation | Person
    field: str
    current: Any
    incoming: Any
    outcome: str
    shared: bool
    other_events: list[str]

    @property
    def record_id(self) -> int:
        return self.record.pk

    @property
    def label(self) -> str:
        return self.record.name

    def as_dict(self) -> dict:
        return {
            "record": self.record_type,
            "id": self.record.pk,
            "name": self.record.name,
            "field": self.field,
            "current": normalised(self.field, self.current),
            "incoming": normalised(self.field, self.incoming),
            "current_text": as_text(self.current),
            "incoming_text": as_text(self.incoming),
            "outcome": self.outcome,
            "other_events": self.other_events,
        }


def plan_record_changes(
    record_type: str,
    record: Organisation | Person,
    incoming: dict[str, Any],
    sharing: Sharing,
    *,
    may_apply: bool,
    may_clear: bool = False,
) -> list[FieldChange]:
    """Decide every field of `incoming` against the existing `record` (read only)."""
    shared = sharing.is_shared(record.pk)
    changes = []
    for name in FIELDS[record_type]:
        if name not in incoming:
            continue
        value = incoming[name]
        current = getattr(record, name)
        outcome = decide(
            name,
            current,
            value,
            shared=shared,
            may_apply=may_apply,
            may_clear=may_clear,
            pending=not is_blank(value) and sharing.is_pending(record.pk, name, value),
        )
        if outcome is not None:
            changes.append(
                FieldChange(
                    record_type,
                    record,
                    name,
                    current,
                    value,
                    outcome,
                    shared,
                    sharing.other_events(record.pk),
                )
            )
    return changes


def apply_record_changes(
    changes: list[FieldChange],
    sharing: dict[str, Sharing],
    *,
    event: Event | None,
    actor,
    source: str,
) -> list[ProposedChange]:
    """Carry out planned changes: set applied values on the records (the caller saves
    them), create the proposals, and write the audit entries of shared records to every
    event that shows them. Must run inside the caller's transaction."""
    proposals: list[ProposedChange] = []
    audits: list[AuditEntry] = []
    superseded: dict[str, list[tuple[int, str]]] = defaultdict(list)
    now = timezone.now()
    for change in changes:
        if change.outcome in Outcome.APPLIED:
            setattr(change.record, change.field, normalised(change.field, change.incoming))
            action = "change"
        elif change.outcome == Outcome.PROPOSE:
            proposals.append(
                ProposedChange(
                    **{change.record_type: change.record},
                    field=change.field,
                    old_value=normalised(change.field, change.current),
                    proposed_value=normalised(change.field, change.incoming),
                    event=event,
                    actor=actor if getattr(actor, "pk", None) else None,
                    source=source,
                    created_at=now,
                )
            )
            superseded[change.record_type].append((change.record.pk, change.field))
            action = "propose"
        else:
            continue
        if not change.shared:
            continue
        audits.extend(
            _audit_entries(
                actor,
                action,
                change.record_type,
                change.record.pk,
                sharing[change.record_type].showing(change.record.pk),
                field=change.field,
                old=normalised(change.field, change.current),
                new=normalised(change.field, change.incoming),
                outcome=change.outcome,
                acting_event=event.slug if event else "",
                source=source,
            )
        )
    if superseded and event is not None:
        # The acting event's own earlier proposals for these fields are replaced by the new one.
        for record_type, pairs in superseded.items():
            fields_by_record = defaultdict(set)
            for record_id, name in pairs:
                fields_by_record[record_id].add(name)
            for chunk in _chunks(fields_by_record):
                stale = [
                    p.pk
                    for p in ProposedChange.objects.filter(
                        **{f"{record_type}_id__in": chunk},
                        event=event,
                        status=ProposalStatus.PENDING,
                    ).only("pk", "field", f"{record_type}_id")
                    if p.field in fields_by_record[getattr(p, f"{record_type}_id")]
                ]
                ProposedChange.objects.filter(pk__in=stale).update(
                    status=ProposalStatus.SUPERSEDED, decided_at=now
                )
    ProposedChange.objects.bulk_create(proposals, batch_size=500)
    AuditEntry.objects.bulk_create(audits, batch_size=500)
    return proposals


def _audit_entries(actor, action, record_type, record_id, event_ids, **detail) -> list[AuditEntry]:
    """The same entry record_audit writes, once for each event that shows the record."""
    label = getattr(actor, "email", "") or "system"
    return [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=label,
            action=action,
            event_id=event_id,
            subject=f"{record_type}:{record_id}",
            detail=detail,
        )
        for event_id in sorted(event_ids)
    ]


# --- one record edited by a person (portal, back office, API) -------------------------------


@transaction.atomic
def change_record(
    record: Organisation | Person,
    values: dict[str, Any],
    *,
    event: Event | None,
    actor,
    source: str = ProposalSource.BACKOFFICE,
) -> list[FieldChange]:
    """Apply an edit of one organisation or person through the ownership rule.

    The record's owner (its own delegate, the person themself) and platform staff change
    it directly, and may empty a field on their form (the Django admin's staff edits come
    here too); an organiser's edit of a shared
    record becomes proposals. `record` holds its values as stored (not yet edited).
    Returns what happened to each field.
    """
    record_type = "organisation" if isinstance(record, Organisation) else "person"
    if record_type == "person" and "email" in values:
        raise PermissionDenied("an organiser never changes a person's e-mail")
    sharing = load_sharing(record_type, [record.pk], event)
    # The owner and staff edit the record itself on a form, where emptying a field is an
    # explicit act; an organiser's blank never erases.
    may_apply = record.pk in owned_by(actor, record_type, [record.pk]) or is_platform_staff(actor)
    changes = plan_record_changes(
        record_type, record, values, sharing, may_apply=may_apply, may_clear=may_apply
    )
    apply_record_changes(changes, {record_type: sharing}, event=event, actor=actor, source=source)
    if any(c.outcome in Outcome.APPLIED for c in changes):
        record.save()
    return changes


# --- deciding proposals ----------------------------------------------------------------------


def may_decide(user, proposal: ProposedChange) -> bool:
    """The record's owner or platform staff accept or reject a proposal."""
    if is_platform_staff(user):
        return True
    record_id = proposal.organisation_id or proposal.person_id
    return record_id is not None and record_id in owned_by(user, proposal.record_type, [record_id])


def proposals_awaiting(user):
    """Pending proposals `user` decides as owner: for their person and their organisations."""
    if user is None or not getattr(user, "pk", None):
        return ProposedChange.objects.none()
    # Only the organisations the user owns: a delegate an event added to another event's
    # organisation is not vouched for, and must not decide that event's proposals.
    organisations = owned_by(
        user,
        "organisation",
        Participant.objects.filter(person__user=user).values_list(
            "event_organisation__organisation_id", flat=True
        ),
    )
    return (
        ProposedChange.objects.filter(status=ProposalStatus.PENDING)
        .filter(Q(person__user=user) | Q(organisation_id__in=organisations))
        .select_related("event", "organisation", "person", "actor__person")
        .order_by("event__slug", "created_at", "pk")
    )


@transaction.atomic
def decide_proposal(proposal: ProposedChange, user, *, accept: bool) -> str:
    """Accept or reject a pending proposal; returns its new status.

    Accepting re-checks that the field still holds the value the proposal was made
    against: if it changed meanwhile, the proposal is superseded, not applied.
    """
    proposal = (
        ProposedChange.objects.select_for_update(of=("self",))
        .select_related("organisation", "person", "event")
        .get(pk=proposal.pk)
    )
    if not may_decide(user, proposal):
        raise PermissionDenied("only the record's owner or platform staff decide this")
    if proposal.status != ProposalStatus.PENDING:
        return proposal.status
    record = proposal.record
    now = timezone.now()
    sharing = load_sharing(proposal.record_type, [record.pk], proposal.event)
    current = getattr(record, proposal.field)
    if not accept:
        status, action = ProposalStatus.REJECTED, "reject"
    elif not same_value(proposal.field, current, proposal.old_value):
        status, action = ProposalStatus.SUPERSEDED, "supersede"
    else:
        status, action = ProposalStatus.ACCEPTED, "accept"
        setattr(record, proposal.field, normalised(proposal.field, proposal.proposed_value))
        record.save()
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, now
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    AuditEntry.objects.bulk_create(
        _audit_entries(
            user,
            action,
            proposal.record_type,
            record.pk,
            sharing.showing(record.pk),
            field=proposal.field,
            old=normalised(proposal.field, current),
            new=proposal.proposed_value,
            proposal=proposal.pk,
            acting_event=proposal.event.slug,
        )
    )
    return status
