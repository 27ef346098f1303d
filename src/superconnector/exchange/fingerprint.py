"""What an import plan read, summed up cheaply, so the write transaction can tell whether it
still holds (issue 12: a delegate's write never waits long on SQLite).

The importer plans outside any write transaction, in one read snapshot
(`read_snapshot`: SQLite's WAL keeps a reader's view while writers go on; PostgreSQL's
REPEATABLE READ READ ONLY does the same), and takes `take_fingerprint` at the end of that
same snapshot. Inside the short write transaction it takes the fingerprint again: equal
means nothing the plan depends on changed since, so the plan is applied as it is;
different means it is planned again inside the transaction (the old, slower way).

What the fingerprint covers, and why that is enough:

- The event row, and the event's organisations, participants, meetings (with seats and
  slots) and sessions, always: every list refers to them, and the applier re-places every
  meeting the plan holds, so a meeting moved meanwhile must not be moved back.
- Every other list of the event (opportunities, availability, requests) when the document
  carries it or prunes: the applier compares its incoming rows with the rows the plan read.
  A list the document neither carries nor prunes is not written by the import, so a
  delegate's new meeting request does not force a re-plan.
- The existing organisations and people the plan decided fields of (by id): their own
  rows, the events that link them, their owners' accounts (active or not) and their
  pending proposals: everything `ownership.load_sharing` and `plan_record_changes` read.
- The actor: staff or not, active or not, which people and organisations they own.
- The newest Person and Organisation id: a person or organisation created meanwhile might
  carry an e-mail, website or name the plan meant to create or match.

Each set is summed up as (count, max id[, max updated_at]): an insert raises the max id
(ids are never reused: AUTOINCREMENT on SQLite, sequences on PostgreSQL), a delete lowers
the count, and an update moves updated_at forward (auto_now, from the one clock of the
machine SQLite lives on). Columns changed without touching updated_at (queryset.update())
and tables without updated_at are read as values where the plan depends on them (the
sessions, availability, the review status of the event's organisations, proposal status).

What it does not cover, on purpose: an organisation renamed (or a person's e-mail changed)
meanwhile into a name or address the plan creates anew. The outcome is then the same as
if the import had run just before that change (a new organisation, as it would have
been); a clash on a unique column raises IntegrityError, and the importer then plans
again inside the transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Count, Max

from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    OrganisationOwner,
    Participant,
    Person,
    ProposalStatus,
    ProposedChange,
)
from superconnector.events.models import Event, MeetingSession, Slot
from superconnector.meetings.models import (
    Availability,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    UnavailableBlock,
)

CHUNK = 5_000  # ids per IN (...): well under every database's parameter limit
ALWAYS = ("organisations", "participants", "meeting_sessions", "meetings")


@contextmanager
def read_snapshot() -> Iterator[None]:
    """One consistent view of the database for a long read, without a write lock.

    Inside an atomic block (a test's, say) the reads already share a transaction.
    """
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Not transaction.atomic(): that begins IMMEDIATE (settings), i.e. takes the
            # write lock. A DEFERRED transaction that only reads never takes it.
            cursor.execute("BEGIN DEFERRED")
        elif connection.vendor == "postgresql":
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:  # pragma: no cover - only the two supported databases
            yield
            return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # it only read


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids) - {None})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _summary(queryset, *, updated: bool = True) -> tuple:
    fields = {"n": Count("pk"), "top": Max("pk")}
    if updated:
        fields["changed"] = Max("updated_at")
    row = queryset.order_by().aggregate(**fields)
    return tuple(str(row[name]) for name in fields)


def _digest(rows: Iterable) -> str:
    """A short stand-in for many small rows (values of columns without updated_at)."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def take_fingerprint(
    *,
    slug: str,
    event_id: int | None,
    lists: Iterable[str],
    organisation_ids: Iterable[int],
    person_ids: Iterable[int],
    actor,
) -> tuple:
    """A summary of everything a plan for this event and these records read (see above)."""
    parts: list = [
        ("event", tuple(Event.objects.filter(slug=slug).values_list("pk", "updated_at"))),
        ("people created", _summary(Person.objects.all(), updated=False)[1]),
        ("organisations created", _summary(Organisation.objects.all(), updated=False)[1]),
        ("actor", _actor_part(actor)),
    ]
    if event_id is not None:
        parts += _event_parts(event_id, {*ALWAYS, *lists})
    for chunk in _chunks(organisation_ids):
        parts.append(("organisations", _organisation_part(chunk)))
    for chunk in _chunks(person_ids):
        parts.append(("people", _person_part(chunk)))
    return tuple(parts)


def _actor_part(actor) -> tuple:
    if actor is None or not getattr(actor, "pk", None):
        return ()
    user = type(actor).objects.filter(pk=actor.pk).values_list("is_staff", "is_active").first()
    people = tuple(Person.objects.filter(user_id=actor.pk).order_by("pk").values_list("pk"))
    organisations = tuple(
        Participant.objects.filter(person__user_id=actor.pk)
        .order_by("pk")
        .values_list("pk", "event_organisation__organisation_id")
    )
    return (user, people, organisations)


def _event_parts(event_id: int, lists: set[str]) -> list:
    parts: list = []
    if "organisations" in lists:
        links = EventOrganisation.objects.filter(event_id=event_id)
        # review_status is changed in bulk without a timestamp (vetting): read as values.
        parts.append(
            (
                "event organisations",
                _digest(links.order_by("pk").values_list("pk", "organisation_id", "review_status")),
            )
        )
    if "participants" in lists:
        parts.append(("participants", _summary(Participant.objects.filter(event_id=event_id))))
    if "opportunities" in lists:
        parts.append(("opportunities", _summary(Opportunity.objects.filter(event_id=event_id))))
    if "meeting_sessions" in lists:
        parts.append(
            (
                "sessions",
                _digest(
                    MeetingSession.objects.filter(event_id=event_id).order_by("pk").values_list()
                ),
                _summary(Slot.objects.filter(session__event_id=event_id), updated=False),
            )
        )
    if "availability" in lists:
        availability = Availability.objects.filter(participant__event_id=event_id)
        parts.append(
            (
                "availability",
                _digest(availability.order_by("pk").values_list("pk", "all_sessions")),
                _digest(
                    Availability.sessions.through.objects.filter(
                        availability__participant__event_id=event_id
                    )
                    .order_by("pk")
                    .values_list("pk")
                ),
                _summary(
                    UnavailableBlock.objects.filter(availability__participant__event_id=event_id),
                    updated=False,
                ),
            )
        )
    if "meeting_requests" in lists:
        parts.append(("requests", _summary(MeetingRequest.objects.filter(event_id=event_id))))
    if "meetings" in lists:
        parts.append(
            (
                "meetings",
                _summary(Meeting.objects.filter(event_id=event_id)),
                _summary(MeetingSeat.objects.filter(meeting__event_id=event_id), updated=False),
            )
        )
    return parts


def _proposals(queryset) -> tuple:
    return (
        *_summary(queryset, updated=False),
        queryset.filter(status=ProposalStatus.PENDING).count(),
    )


def _organisation_part(ids: list[int]) -> tuple:
    return (
        _summary(Organisation.objects.filter(pk__in=ids)),
        _summary(EventOrganisation.objects.filter(organisation_id__in=ids), updated=False),
        # Owners: delegates with an active account, in any event, vouched for by their
        # domain, the first event or a staff mark (ownership.owners_of).
        Participant.objects.filter(
            event_organisation__organisation_id__in=ids, person__user__is_active=True
        ).count(),
        _summary(OrganisationOwner.objects.filter(organisation_id__in=ids), updated=False),
        _proposals(ProposedChange.objects.filter(organisation_id__in=ids)),
    )


def _person_part(ids: list[int]) -> tuple:
    return (
        # Values, not a summary: linking an account, or (de)activating it, saves no person.
        _digest(
            Person.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "user_id", "user__is_active")
        ),
        _summary(Participant.objects.filter(person_id__in=ids)),
        _proposals(ProposedChange.objects.filter(person_id__in=ids)),
    )
