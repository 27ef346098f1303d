"""Importing an exchange document: all or nothing, upserting by key, idempotent.

    parse -> read_document (structure) -> _Planner (read only, in one read snapshot, no
    write lock: build_virtual_event + check_virtual_event on the whole event, people and
    organisations resolved, every field of a shared record decided by
    directory/domain/ownership.py, and a fingerprint of what it read) -> _Applier (one
    short write transaction: the fingerprint is taken again; if anything the plan read
    changed, the plan is made again inside the transaction; then the plan is written).
    A dry run stops after the planner. See exchange/fingerprint.py for why that is sound.

A second import of the same document compares equal row by row and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from superconnector.directory.domain.ownership import (
    FieldChange,
    Outcome,
    Sharing,
    apply_record_changes,
    is_platform_staff,
    load_sharing,
    owned_by,
    plan_record_changes,
)
from superconnector.directory.identity import fold_name, website_host
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    Participant,
    Person,
    ProposalSource,
)
from superconnector.events.domain.slots import localise, sync_slots
from superconnector.events.models import Event, MeetingSession, Slot
from superconnector.exchange.checks import (
    VirtualEvent,
    build_virtual_event,
    check_virtual_event,
    session_slots,
)
from superconnector.exchange.document import ROW_KEY, ParsedDocument, parse_json, read_document
from superconnector.exchange.exporter import export_event, export_event_row
from superconnector.exchange.fingerprint import read_snapshot, take_fingerprint
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.schema import LIST_NAMES
from superconnector.meetings.models import (
    ACTIVE_STATUSES,
    Availability,
    Meeting,
    MeetingRequest,
    MeetingRequestChange,
    MeetingSeat,
    UnavailableBlock,
)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    # New to the event, but an organisation or person the platform already knows: linked,
    # not created (their fields follow directory/domain/ownership.py).
    linked: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.linked)

    def __str__(self) -> str:
        parts = [f"{n} {label}" for label, n in vars(self).items() if n]
        return ", ".join(parts) or "none"


@dataclass
class ImportReport:
    event_slug: str
    event: str  # "created", "updated" or "unchanged"
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {name: Tally() for name in LIST_NAMES}
    )
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    # Every difference to a field of an existing shared organisation or person, and its
    # outcome (fill, apply, propose, pending, ignored-blank); see FieldChange.as_dict.
    shared_changes: list[dict] = field(default_factory=list)
    # Seconds spent planning (read only) and in the write transaction, and whether the plan
    # had to be made again inside it (something it read changed meanwhile).
    timing: dict = field(default_factory=dict)

    @property
    def proposals(self) -> int:
        return sum(1 for c in self.shared_changes if c["outcome"] == Outcome.PROPOSE)

    @property
    def changed(self) -> bool:
        return (
            self.event != "unchanged"
            or any(t.changed for t in self.tallies.values())
            or any(c["outcome"] in _WRITING_OUTCOMES for c in self.shared_changes)
        )

    def as_dict(self) -> dict:
        return {
            "ok": True,
            "event": self.event_slug,
            "event_change": self.event,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "tallies": {name: vars(tally) for name, tally in self.tallies.items()},
            "warnings": [{"path": w.path, "message": w.message} for w in self.warnings],
            "shared_changes": self.shared_changes,
            "proposals": self.proposals,
            "timing": self.timing,
        }

    def render(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f'{verb} event "{self.event_slug}" (event {self.event}).']
        for name, tally in self.tallies.items():
            if tally.changed or tally.unchanged:
                lines.append(f"  {name}: {tally}")
        if self.shared_changes:
            lines.append("Changes to organisations and people other events also show:")
            for c in self.shared_changes:
                shown = ", ".join(c["other_events"]) or "an account holder"
                lines.append(
                    f'  {c["record"]} "{c["name"]}" {c["field"]}: {_shown(c["current"])} -> '
                    f"{_shown(c['incoming'])}: {c['outcome']} (also shown by {shown})"
                )
        if not self.changed:
            lines.append("Nothing changed.")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


_WRITING_OUTCOMES = {Outcome.FILL, Outcome.APPLY, Outcome.PROPOSE}


def _shown(value) -> str:
    if value in ("", None, []):
        return "(blank)"
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def import_file_content(content: bytes | str, **options) -> ImportReport:
    source = options.get("source", "")
    return import_document(parse_json(content, source), **options)


def import_document(
    data: Any,
    *,
    lenient: bool = False,
    prune: bool = False,
    dry_run: bool = False,
    source: str = "",
    actor=None,
    assumed: dict[str, dict[str, set[str]]] | None = None,
) -> ImportReport:
    """Check the whole document against the event, then write it in one transaction.

    Raises ImportRejected (listing every problem, each with its JSON path) and writes
    nothing if anything is wrong. With `prune`, rows of the lists present in the document
    that the document does not mention are deleted; without it nothing is ever deleted.

    Planning only reads (checks, tallies, changes to shared records), in a read snapshot
    that holds no write lock; a dry run returns its report. The real import then opens its
    write transaction, checks the plan's fingerprint against the data as it is then, plans
    again inside the transaction only if something the plan read changed, and writes, so
    that SQLite's single write lock is held for the writes, not for the planning.

    `assumed`: list name -> row key -> fields the source did not give (filled with a
    default so that the row is valid): they shape new records but never change existing
    ones. Organisations without a `language` are added here automatically.
    """
    parsed = read_document(data, lenient=lenient, source=source)
    assumed = _assumed_fields(data, assumed)
    options = {"actor": actor, "source": source, "assumed": assumed}
    began = time.monotonic()
    with read_snapshot():
        plan = _Planner(parsed, prune, fingerprint=not dry_run, **options).run()
    plan.report.timing["plan_s"] = round(time.monotonic() - began, 3)
    if dry_run:
        plan.report.dry_run = True
        return plan.report
    _before_apply(plan)
    try:
        try:
            plan = _apply(plan, lambda: _Planner(parsed, prune, lock=True, **options).run())
        except IntegrityError:
            # A clash the fingerprint does not cover (an e-mail taken meanwhile, say): the
            # slow, sure way, planning again under the lock.
            plan = _apply(None, lambda: _Planner(parsed, prune, lock=True, **options).run())
    except IntegrityError as exc:
        # The checks above should have caught it; the database is the last guard.
        raise ImportRejected(
            [Problem("$", f"the database refused the import: {exc}")], source
        ) from exc
    return plan.report


def _apply(plan: ImportPlan | None, plan_again) -> ImportPlan:
    """Write `plan` in one short transaction if nothing it read changed since it was made;
    otherwise (or without a plan) plan again inside the transaction and write that.

    On SQLite the transaction holds the database's only write lock from BEGIN (IMMEDIATE),
    so it holds only the fingerprint, the writes, and a re-plan when one is needed.
    """
    applier = None
    if plan is not None:
        applier = _Applier(plan, plan.actor)
        applier.prepare()  # the new rows' values, before BEGIN: not while holding the lock
    began = time.monotonic()
    with transaction.atomic():
        replanned = plan is None or plan.fingerprint != plan.take_fingerprint()
        if replanned:
            plan = plan_again()
            applier = _Applier(plan, plan.actor)
            applier.prepare()
        applier.run()
    plan.report.timing.update(write_s=round(time.monotonic() - began, 3), planned_again=replanned)
    return plan


def _before_apply(plan: ImportPlan) -> None:
    """Between the plan and its transaction: a seam for tests that change data here."""


def _assumed_fields(data: Any, given: dict | None) -> dict[str, dict[str, set[str]]]:
    assumed: dict[str, dict[str, set[str]]] = {
        name: {key: set(fields) for key, fields in rows.items()}
        for name, rows in (given or {}).items()
    }
    rows = data.get("organisations") if isinstance(data, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("key"), str) and not row.get("language"):
            # Detected from the text, not given: not a reason to change a known organisation.
            assumed.setdefault("organisations", {}).setdefault(row["key"].strip(), set()).add(
                "language"
            )
    return assumed


# --- planning (read only) -----------------------------------------------------------------------


@dataclass
class _OrganisationPlan:
    key: str
    row: dict
    link: EventOrganisation | None
    organisation: Organisation  # unsaved when new to the platform
    changes: list[FieldChange]
    event_facts_changed: bool = False


@dataclass
class _ParticipantPlan:
    key: str
    row: dict
    participant: Participant | None
    person: Person  # unsaved when new to the platform
    changes: list[FieldChange]
    event_facts_changed: bool = False


@dataclass
class ImportPlan:
    """What an import would do, computed without writing: the applier carries it out."""

    parsed: ParsedDocument
    event: Event | None
    current: dict | None
    virtual: VirtualEvent
    report: ImportReport
    organisations: list[_OrganisationPlan]
    participants: list[_ParticipantPlan]
    sharing: dict[str, Sharing]
    source: str = ""
    actor: Any = None
    fingerprint: tuple | None = None
    fingerprint_scope: dict = field(default_factory=dict)

    def take_fingerprint(self) -> tuple:
        """The fingerprint of what this plan read, as the database holds it now."""
        return take_fingerprint(**self.fingerprint_scope)


def _chunked(values: list) -> Iterator[list]:
    for start in range(0, len(values), 5_000):
        yield values[start : start + 5_000]


class _Planner:
    """Reads the event and the platform's directory and decides every row; writes nothing."""

    def __init__(
        self,
        parsed: ParsedDocument,
        prune: bool,
        *,
        actor=None,
        source: str = "",
        assumed: dict | None = None,
        lock: bool = False,
        fingerprint: bool = False,
    ) -> None:
        self.parsed = parsed
        self.prune = prune
        self.actor = actor
        self.source = source
        self.assumed = assumed or {}
        self.lock = lock
        self.fingerprint = fingerprint
        self.report = ImportReport(parsed.event["slug"], "unchanged", warnings=parsed.warnings)

    def run(self) -> ImportPlan:
        events = Event.objects.filter(slug=self.parsed.event["slug"])
        if self.lock:
            events = events.select_for_update()
        self.event = events.first()
        self.current_doc = export_event(self.event) if self.event else None
        self.current = {
            name: {row[ROW_KEY[name]]: row for row in (self.current_doc or {}).get(name) or []}
            for name in LIST_NAMES
        }
        virtual = build_virtual_event(self.current_doc, self.parsed, self.prune)
        self.virtual = virtual
        problems = self.parsed.problems + check_virtual_event(virtual)
        participants, email_problems = self._plan_participant_people()
        problems += email_problems
        if problems:
            raise ImportRejected(problems, self.source)
        if self.event is None:
            self.report.event = "created"
        elif export_event_row(self.event) != virtual.event:
            self.report.event = "updated"
        for name, keys in virtual.pruned.items():
            self.report.tallies[name].deleted += len(keys)
        organisations = self._plan_organisations()
        self._plan_person_fields(participants)
        for name in ("opportunities", "meeting_sessions", "availability", "meeting_requests"):
            sum(1 for _changed in self._changed_rows(name))  # counts into the tallies
        self._tally_meetings()
        sharing = {"organisation": self.org_sharing, "person": self.person_sharing}
        self.report.shared_changes = [
            change.as_dict()
            for plan in [*organisations, *participants]
            for change in plan.changes
            if change.shared
        ]
        plan = ImportPlan(
            self.parsed,
            self.event,
            self.current_doc,
            virtual,
            self.report,
            organisations,
            participants,
            sharing,
            self.source,
            self.actor,
        )
        if self.fingerprint:
            # Taken in the planner's own read snapshot: exactly the data the plan was made of.
            lists = set(virtual.pruned) | {
                name for name in LIST_NAMES if any(r.incoming for r in virtual.lists[name].values())
            }
            if self.prune:
                lists |= set(LIST_NAMES)
            plan.fingerprint_scope = {
                "slug": self.parsed.event["slug"],
                "event_id": self.event.pk if self.event else None,
                "lists": sorted(lists),
                "organisation_ids": [p.organisation.pk for p in organisations],
                "person_ids": [p.person.pk for p in participants],
                "actor": self.actor,
            }
            plan.fingerprint = plan.take_fingerprint()
        return plan

    def _changed_rows(self, name: str, tally: bool = True):
        """(key, row, previous canonical row or None) for each incoming row that changed."""
        counts = self.report.tallies[name]
        for key, row in self.virtual.lists[name].items():
            if not row.incoming:
                continue
            previous = self.current[name].get(key)
            if previous == row.data:
                counts.unchanged += 1
                continue
            if tally:
                if previous is None:
                    counts.created += 1
                else:
                    counts.updated += 1
            yield key, row, previous

    def _may_apply(self, record_type: str, ids: list[int]) -> set[int]:
        if is_platform_staff(self.actor):
            return set(ids)
        return owned_by(self.actor, record_type, ids)

    def _given(self, name: str, key: str, values: dict) -> dict:
        for assumed in self.assumed.get(name, {}).get(key, ()):
            values.pop(assumed, None)
        return values

    # --- organisations ------------------------------------------------------------------

    def _plan_organisations(self) -> list[_OrganisationPlan]:
        changed = list(self._changed_rows("organisations", tally=False))
        # Only the changed rows' links are loaded: a re-check of a large list reads little.
        links: dict[str, EventOrganisation] = {}
        claimed: set[int] = set()
        if self.event:
            for chunk in _chunked([key for key, _row, _previous in changed]):
                links.update(
                    (link.key, link)
                    for link in EventOrganisation.objects.filter(
                        event=self.event, key__in=chunk
                    ).select_related("organisation")
                )
            claimed = set(
                EventOrganisation.objects.filter(event=self.event).values_list(
                    "organisation_id", flat=True
                )
            )
        finder = _ReturningOrganisations(
            [row.data for key, row, _previous in changed if key not in links], claimed=claimed
        )
        plans = []
        for key, row, _previous in changed:
            link = links.get(key)
            organisation = link.organisation if link else finder.find(row.data)
            plans.append(_OrganisationPlan(key, row.data, link, organisation or Organisation(), []))
        existing = [p.organisation.pk for p in plans if p.organisation.pk is not None]
        self.org_sharing = load_sharing("organisation", existing, self.event)
        may_apply = self._may_apply("organisation", existing)
        tally = self.report.tallies["organisations"]
        for plan in plans:
            values = _organisation_values(plan.row)
            if plan.organisation.pk is None:
                _set_fields(plan.organisation, **values)
                plan.organisation.refresh_identity()
                tally.created += 1
                continue
            plan.changes = plan_record_changes(
                "organisation",
                plan.organisation,
                self._given("organisations", plan.key, values),
                self.org_sharing,
                may_apply=plan.organisation.pk in may_apply,
            )
            applied = any(c.outcome in Outcome.APPLIED for c in plan.changes)
            if plan.link is None:
                tally.linked += 1
            elif applied:
                tally.updated += 1
            else:
                tally.unchanged += 1
        return plans

    # --- participants and people -----------------------------------------------------------

    def _plan_participant_people(self) -> tuple[list[_ParticipantPlan], list[Problem]]:
        """Resolve each changed participant row to its person; refuse e-mail re-points."""
        changed = list(self._changed_rows("participants", tally=False))
        existing: dict[str, Participant] = {}
        if self.event:
            for chunk in _chunked([key for key, _row, _previous in changed]):
                existing.update(
                    (p.key, p)
                    for p in Participant.objects.filter(
                        event=self.event, key__in=chunk
                    ).select_related("person")
                )
        emails = sorted({row.data["email"] for _k, row, _p in changed})
        known: dict[str, Person] = {}
        for chunk in _chunked(emails):
            known.update(
                (person.email.lower(), person) for person in Person.objects.filter(email__in=chunk)
            )
        new_people: dict[str, Person] = {}
        plans, problems = [], []
        for key, row, _previous in changed:
            participant = existing.get(key)
            email = row.data["email"]
            if participant is not None:
                if participant.person.email.lower() != email:
                    # An import never moves an e-mail: that would hand the person's sign-in
                    # links to whoever wrote the file (issue 12, finding 2).
                    problems.append(
                        Problem(
                            f"{row.path}.email",
                            f'participant "{key}" is {participant.person.email}; this row '
                            f"gives {email}. An import never changes a person's e-mail "
                            "address: only the person (confirmed by a link sent to the new "
                            "address) or platform staff can. Use a new key for another "
                            "person.",
                        )
                    )
                    continue
                person = participant.person
            else:
                person = known.get(email) or new_people.setdefault(email, Person(email=email))
            plans.append(_ParticipantPlan(key, row.data, participant, person, []))
        return plans, problems

    def _plan_person_fields(self, plans: list[_ParticipantPlan]) -> None:
        existing = [p.person.pk for p in plans if p.person.pk is not None]
        self.person_sharing = load_sharing("person", existing, self.event)
        may_apply = self._may_apply("person", existing)
        tally = self.report.tallies["participants"]
        seen_new: set[int] = set()
        for plan in plans:
            values = _person_values(plan.row)
            if plan.person.pk is None:
                if id(plan.person) not in seen_new:
                    seen_new.add(id(plan.person))
                    _set_fields(plan.person, **values)
            else:
                plan.changes = plan_record_changes(
                    "person",
                    plan.person,
                    self._given("participants", plan.key, values),
                    self.person_sharing,
                    may_apply=plan.person.pk in may_apply,
                )
            if plan.participant is None:
                if plan.person.pk is None:
                    tally.created += 1
                else:
                    tally.linked += 1
                continue
            previous = self.current["participants"][plan.key]
            plan.event_facts_changed = (previous["organisation"], previous["role"]) != (
                plan.row["organisation"],
                plan.row["role"],
            )
            if plan.event_facts_changed or any(c.outcome in Outcome.APPLIED for c in plan.changes):
                tally.updated += 1
            else:
                tally.unchanged += 1

    # --- meetings ------------------------------------------------------------------------

    def _tally_meetings(self) -> None:
        """As the applier places them: new, moved (or re-seated), re-locked, or unchanged."""
        tally = self.report.tallies["meetings"]
        sessions = self.virtual.lists["meeting_sessions"]
        moved_sessions = {
            key
            for key, row in sessions.items()
            if row.incoming and self.current["meeting_sessions"].get(key) != row.data
        }
        session_of = {}
        for key, row in sessions.items():
            for start, end in session_slots(row.data):
                session_of.setdefault((row.data["date"], start, end), key)
        requests = self.virtual.lists["meeting_requests"]
        for key, row in self.virtual.lists["meetings"].items():
            previous = self.current["meetings"].get(key)
            if previous is None:
                tally.created += 1
                continue
            old_request = self.current["meeting_requests"].get(key) or {}
            request = requests[key].data if key in requests else old_request
            old_session = session_of.get((previous["date"], previous["start"], previous["end"]))
            if (
                previous != row.data
                or old_session in moved_sessions
                or (old_request.get("from"), old_request.get("to"))
                != (request.get("from"), request.get("to"))
            ):
                tally.updated += 1
            elif row.incoming:
                tally.unchanged += 1


def _organisation_values(row: dict) -> dict:
    return {
        "name": row["name"],
        "name_zh": row["name_zh"] or "",
        "kind": row["kind"],
        "region": row["region"],
        "sectors": row["sectors"],
        "description": row["description"],
        "language": row["language"],
        "website": row["website"] or "",
    }


def _person_values(row: dict) -> dict:
    return {
        "name": row["name"],
        "title": row["title"] or "",
        "phone": row["phone"] or "",
        "languages": row["languages"],
    }


# --- applying (one transaction) ------------------------------------------------------------------


class _Applier:
    def __init__(self, plan: ImportPlan, actor) -> None:
        self.plan = plan
        self.event = plan.event
        self.current = {
            name: {row[ROW_KEY[name]]: row for row in (plan.current or {}).get(name) or []}
            for name in LIST_NAMES
        }
        self.virtual = plan.virtual
        self.parsed = plan.parsed
        self.actor = actor
        self.report = plan.report
        self._links: dict[str, int] | None = None
        self.new_organisations = _NewRows(
            Organisation, [p.organisation for p in plan.organisations if p.organisation.pk is None]
        )
        new_people = {id(p.person): p.person for p in plan.participants if p.person.pk is None}
        self.new_people = _NewRows(Person, list(new_people.values()))
        # Their foreign keys are set when inserting (the rows they point at may be new).
        self.new_links = {
            id(p): EventOrganisation(key=p.key) for p in plan.organisations if p.link is None
        }
        self.new_participants = {
            id(p): Participant(key=p.key, role=p.row["role"])
            for p in plan.participants
            if p.participant is None
        }

    def prepare(self) -> None:
        """Everything about the new rows that needs no database: done before the write
        transaction, so that the lock is held for the INSERTs alone."""
        self.new_organisations.prepare()
        self.new_people.prepare()
        self.links_rows = _NewRows(EventOrganisation, list(self.new_links.values()))
        self.links_rows.prepare()
        self.participant_rows = _NewRows(Participant, list(self.new_participants.values()))
        self.participant_rows.prepare()

    def run(self) -> ImportReport:
        self._apply_event()
        self._remove_pruned()
        self._apply_shared_records()
        self._apply_organisations()
        self._apply_participants()
        self._apply_opportunities()
        self._apply_sessions()
        self._apply_availability()
        self._apply_requests()
        self._apply_meetings()
        return self.report

    def _incoming(self, name: str):
        """(key, row, previous canonical row or None) for each incoming row that changed
        (the planner has counted them)."""
        for key, row in self.virtual.lists[name].items():
            if not row.incoming:
                continue
            previous = self.current[name].get(key)
            if previous != row.data:
                yield key, row.data, previous

    # --- event -------------------------------------------------------------------------------

    def _apply_event(self) -> None:
        row = self.virtual.event
        fields = {
            "name": row["name"],
            "name_zh": row["name_zh"] or "",
            "kind": row["kind"] or "",
            "timezone": row["timezone"],
            "starts_on": dt.date.fromisoformat(row["starts_on"]),
            "ends_on": dt.date.fromisoformat(row["ends_on"]),
            "venue": row["venue"] or "",
            "description": row["description"] or "",
        }
        if self.event is None:
            self.event = Event.objects.create(slug=row["slug"], **fields)
            self.report.event = "created"
            return
        if export_event_row(self.event) == row:
            return
        timezone_changed = self.event.timezone != row["timezone"]
        for name, value in fields.items():
            setattr(self.event, name, value)
        self.event.save()
        self.report.event = "updated"
        if timezone_changed:
            # Wall-clock times stay, so every slot's instant moves with the zone.
            for session in self.event.sessions.all():
                sync_slots(session)

    # --- pruning -----------------------------------------------------------------------------

    def _remove_pruned(self) -> None:
        models = {
            "meetings": (Meeting, "request__key"),
            "meeting_requests": (MeetingRequest, "key"),
            "availability": (Availability, "participant__key"),
            "opportunities": (Opportunity, "key"),
            "participants": (Participant, "key"),
            "meeting_sessions": (MeetingSession, "key"),
            "organisations": (EventOrganisation, "key"),
        }
        for name in reversed(LIST_NAMES):
            keys = self.virtual.pruned.get(name)
            if not keys:
                continue
            model, key_lookup = models[name]
            event_lookup = "participant__event" if name == "availability" else "event"
            model.objects.filter(**{event_lookup: self.event, f"{key_lookup}__in": keys}).delete()

    # --- directory ---------------------------------------------------------------------------
    # Rows are written in batches: a 3,000-person fair has tens of thousands of them.

    def _apply_shared_records(self) -> None:
        """Fill, apply and propose as planned; audited in every event showing the record."""
        changes = [
            change
            for plan in [*self.plan.organisations, *self.plan.participants]
            for change in plan.changes
        ]
        for sharing in self.plan.sharing.values():
            # An event created by this import shows the records too: its log gets them.
            sharing.acting_event_id = self.event.pk
        apply_record_changes(
            changes,
            self.plan.sharing,
            event=self.event,
            actor=self.actor,
            source=ProposalSource.IMPORT,
        )

    def _apply_organisations(self) -> None:
        updated = []
        for plan in self.plan.organisations:
            organisation = plan.organisation
            if organisation.pk is not None and any(
                c.outcome in Outcome.APPLIED for c in plan.changes
            ):
                organisation.refresh_identity()
                updated.append(organisation)
        self.new_organisations.insert()
        for plan in self.plan.organisations:
            if plan.link is None:
                link = self.new_links[id(plan)]
                link.event_id, link.organisation_id = self.event.pk, plan.organisation.pk
        _save_all([], updated, ORGANISATION_FIELDS)
        self.links_rows.insert()

    def _organisation_links(self) -> dict[str, int]:
        """Key -> id of the event's organisations, read once after they are written."""
        if self._links is None:
            self._links = dict(
                EventOrganisation.objects.filter(event=self.event).values_list("key", "pk")
            )
        return self._links

    def _apply_participants(self) -> None:
        if not self.plan.participants:
            return
        links = self._organisation_links()
        updated: dict[int, Person] = {}
        for plan in self.plan.participants:
            person = plan.person
            if person.pk is not None and any(c.outcome in Outcome.APPLIED for c in plan.changes):
                updated[id(person)] = person
        # The e-mail is not among the updated fields: an import never moves it.
        _save_all([], list(updated.values()), ["name", "title", "phone", "languages", "updated_at"])
        self.new_people.insert()
        changed = []
        for plan in self.plan.participants:
            if plan.participant is not None and not plan.event_facts_changed:
                continue
            participant = plan.participant or self.new_participants[id(plan)]
            participant.event_id = self.event.pk
            participant.person_id = plan.person.pk
            participant.event_organisation_id = links[plan.row["organisation"]]
            participant.role = plan.row["role"]
            if participant.pk is not None:
                changed.append(participant)
        _save_all([], changed, ["person", "event_organisation", "role", "updated_at"])
        self.participant_rows.insert()

    def _apply_opportunities(self) -> None:
        incoming = list(self._incoming("opportunities"))
        if not incoming:
            return  # nothing to load either: a delegate list has no opportunities
        links = self._organisation_links()
        existing = {o.key: o for o in Opportunity.objects.filter(event=self.event)}
        opportunities = []
        for key, row, _previous in incoming:
            opportunity = existing.get(key) or Opportunity(event=self.event, key=key)
            _set_fields(
                opportunity,
                event_organisation_id=links[row["organisation"]],
                direction=row["direction"],
                category=row["category"],
                title=row["title"],
                description=row["description"],
                sectors=row["sectors"],
                regions=row["regions"],
                language=row["language"],
            )
            opportunities.append(opportunity)
        _save_all(
            [o for o in opportunities if o.pk is None],
            [o for o in opportunities if o.pk is not None],
            [*OPPORTUNITY_FIELDS, "updated_at"],
        )

    # --- meeting sessions and availability --------------------------------------------------

    def _apply_sessions(self) -> None:
        changed = list(self._incoming("meeting_sessions"))
        if not changed:
            return
        existing = {s.key: s for s in MeetingSession.objects.filter(event=self.event)}
        # Meetings in slots that are about to move or vanish are taken out first and put
        # back by _apply_meetings, so that slot rows can be rewritten freely.
        if changed:
            Meeting.objects.filter(
                event=self.event, slot__session__key__in=[key for key, _row, _prev in changed]
            ).delete()
        for key, row, _previous in changed:
            session = existing.get(key) or MeetingSession(event=self.event, key=key)
            _set_fields(
                session,
                date=dt.date.fromisoformat(row["date"]),
                start=dt.time.fromisoformat(row["start"]),
                end=dt.time.fromisoformat(row["end"]),
                slot_minutes=row["slot_minutes"],
                gap_minutes=row["gap_minutes"],
                tables=row["tables"],
                location=row["location"] or "",
            )
            session.event = self.event
            session.save()
            sync_slots(session)

    def _apply_availability(self) -> None:
        incoming = list(self._incoming("availability"))
        if not incoming:
            return
        participants = {p.key: p for p in Participant.objects.filter(event=self.event)}
        sessions = {s.key: s for s in MeetingSession.objects.filter(event=self.event)}
        tz = self.event.tzinfo
        for key, row, _previous in incoming:
            availability, _ = Availability.objects.get_or_create(participant=participants[key])
            availability.all_sessions = row["sessions"] is None
            availability.save()
            availability.sessions.set([sessions[k] for k in row["sessions"] or []])
            availability.blocks.all().delete()
            UnavailableBlock.objects.bulk_create(
                UnavailableBlock(
                    availability=availability,
                    starts_at=localise(
                        dt.date.fromisoformat(b["date"]), dt.time.fromisoformat(b["start"]), tz
                    ),
                    ends_at=localise(
                        dt.date.fromisoformat(b["date"]), dt.time.fromisoformat(b["end"]), tz
                    ),
                )
                for b in row["unavailable"]
            )

    # --- requests and meetings ---------------------------------------------------------------

    def _apply_requests(self) -> None:
        incoming = list(self._incoming("meeting_requests"))
        if not incoming:
            return
        participants = {
            p.key: p
            for p in Participant.objects.filter(event=self.event).select_related(
                "event_organisation"
            )
        }
        existing = {r.key: r for r in MeetingRequest.objects.filter(event=self.event)}
        closing, opening, history = [], [], []
        for key, row, previous in incoming:
            request = existing.get(key) or MeetingRequest(event=self.event, key=key)
            sender, recipient = participants[row["from"]], participants[row["to"]]
            _set_fields(
                request,
                sender=sender,
                recipient=recipient,
                sender_organisation=sender.event_organisation,
                recipient_organisation=recipient.event_organisation,
                status=row["status"],
                priority=row["priority"],
                message=row["message"] or "",
            )
            (opening if row["status"] in ACTIVE_STATUSES else closing).append(request)
            old_status = previous["status"] if previous else ""
            if old_status != row["status"]:
                history.append((request, old_status, row["status"]))
        # Close requests before opening others, so that the one-open-request-per-pair
        # constraint holds after every single write.
        for batch in (closing, opening):
            _save_all(
                [r for r in batch if r.pk is None],
                [r for r in batch if r.pk is not None],
                [*REQUEST_FIELDS, "updated_at"],
            )
        MeetingRequestChange.objects.bulk_create(
            MeetingRequestChange(
                request=request, from_status=old, to_status=new, actor=self.actor, source="import"
            )
            for request, old, new in history
        )

    def _apply_meetings(self) -> None:
        wanted = self._wanted_placements()
        requests = {
            r.key: r for r in MeetingRequest.objects.filter(event=self.event, key__in=list(wanted))
        }
        placed = {
            m.request.key: m
            for m in Meeting.objects.filter(event=self.event)
            .select_related("request")
            .prefetch_related("seats")
        }
        # A meeting is re-placed when its slot or table changes, or when its request now
        # names other people (the seats must follow the request).
        stale = {
            m.pk
            for key, m in placed.items()
            if key in wanted
            and (
                (m.slot_id, m.table) != wanted[key][:2]
                or {seat.participant_id for seat in m.seats.all()}
                != {requests[key].sender_id, requests[key].recipient_id}
            )
        }
        Meeting.objects.filter(pk__in=stale).delete()
        created, locks_changed = [], []
        for key, (slot_id, table, locked) in wanted.items():
            meeting = placed.get(key)
            if meeting is not None and meeting.pk not in stale:
                if meeting.locked != locked:
                    meeting.locked = locked
                    locks_changed.append(meeting)
                continue
            created.append(
                Meeting(
                    event=self.event,
                    request=requests[key],
                    slot_id=slot_id,
                    table=table,
                    locked=locked,
                )
            )
        _save_all(created, locks_changed, ["locked", "updated_at"])
        MeetingSeat.objects.bulk_create(
            (
                MeetingSeat(meeting=meeting, participant_id=pid, slot_id=meeting.slot_id)
                for meeting in created
                for pid in (meeting.request.sender_id, meeting.request.recipient_id)
            ),
            batch_size=BATCH,
        )

    def _wanted_placements(self) -> dict[str, tuple[int, str, bool]]:
        """request key -> (slot id, table, locked) for every meeting of the event after import."""
        slot_ids = {
            (slot.session.key, slot.index): slot.pk
            for slot in Slot.objects.filter(session__event=self.event).select_related("session")
        }
        by_time = {}
        for row in self.virtual.lists["meeting_sessions"].values():
            session = row.data
            for index, (start, end) in enumerate(session_slots(session)):
                by_time.setdefault((session["date"], start, end), slot_ids[(session["key"], index)])
        return {
            key: (
                by_time[(m.data["date"], m.data["start"], m.data["end"])],
                m.data["table"],
                m.data["locked"],
            )
            for key, m in self.virtual.lists["meetings"].items()
        }


ORGANISATION_FIELDS = [
    "name",
    "name_zh",
    "name_key",
    "kind",
    "region",
    "sectors",
    "description",
    "language",
    "website",
    "website_host",
    "updated_at",
]
OPPORTUNITY_FIELDS = [
    "event_organisation",
    "direction",
    "category",
    "title",
    "description",
    "sectors",
    "regions",
    "language",
]
REQUEST_FIELDS = [
    "sender",
    "recipient",
    "sender_organisation",
    "recipient_organisation",
    "status",
    "priority",
    "message",
]
BATCH = 500


def _save_all(new: list, changed: list, fields: list[str] | None = None) -> None:
    """Insert `new` and update `fields` of `changed` in batches (auto_now fields set here)."""
    now = timezone.now()
    for instance in [*new, *changed]:
        for name in ("created_at", "updated_at"):
            if hasattr(instance, name) and (
                name == "updated_at" or getattr(instance, name) is None
            ):
                setattr(instance, name, now)
    if new:
        type(new[0]).objects.bulk_create(new, batch_size=BATCH)
    if changed and fields:
        type(changed[0]).objects.bulk_update(changed, fields, batch_size=BATCH)


class _NewRows:
    """Many new rows of one model, inserted in one go (executemany on SQLite, COPY on
    PostgreSQL).

    Django's bulk_create spends most of its time turning every value into its database
    form, statement by statement (bench/imports.py: about 80 % of the write transaction for
    a 100,000-row list). Here the values are converted once, in `prepare`, which can run
    before the transaction begins; `insert` only draws the ids and sends the rows. Ids come
    from the table's own sequence: on PostgreSQL nextval (never reused, safe beside other
    writers); on SQLite, which has one writer at a time, the next free numbers under the
    write lock this transaction holds (AUTOINCREMENT then carries on after them).
    Foreign keys are read when inserting, so they may point at rows inserted just before.
    """

    def __init__(self, model, objects: list) -> None:
        self.model = model
        self.objects = objects
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.rows: list[list] | None = None

    def prepare(self) -> None:
        if self.rows is not None:
            return
        ops = connection
        self.rows = [
            [
                None
                if field.is_relation
                else field.get_db_prep_save(field.pre_save(obj, True), ops)
                for field in self.fields
            ]
            for obj in self.objects
        ]

    def insert(self) -> None:
        if not self.objects:
            return
        self.prepare()
        ids = _draw_ids(self.model, len(self.objects))
        relations = [(i, f) for i, f in enumerate(self.fields) if f.is_relation]
        for obj, row, pk in zip(self.objects, self.rows, ids, strict=True):
            for index, relation in relations:
                row[index] = getattr(obj, relation.attname)
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in ["id", *(f.column for f in self.fields)])
        marks = "(" + ", ".join(["%s"] * (len(self.fields) + 1)) + ")"
        head = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES "
        rows = [(pk, *row) for pk, row in zip(ids, self.rows, strict=True)]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: one stream, not a round trip (or a client-side formatted statement)
                # per row. Errors are Django's, as from any query.
                table = quote(self.model._meta.db_table)
                sql = f"COPY {table} ({columns}) FROM STDIN"
                with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(head + marks, rows)  # SQLite: no round trips to save


def _draw_ids(model, count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: only inside the write transaction, where nobody else inserts.
        assert connection.in_atomic_block
        cursor.execute(f"SELECT max(id) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(top, row[0] if row else 0) + 1
    return list(range(first, first + count))


class _ReturningOrganisations:
    """Finds organisations known from earlier events for rows new to this event.

    A row matches by website host, else by folded name when exactly one organisation
    has it; an organisation already in the event (or matched once) is not matched again.
    """

    def __init__(self, rows: list[dict], claimed: set[int]) -> None:
        self.claimed = set(claimed)
        hosts = {website_host(row["website"] or "") for row in rows} - {""}
        names = {fold_name(row["name"]) for row in rows}
        self.by_host: dict[str, list[Organisation]] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        for chunk in _chunked(sorted(hosts)):
            for org in Organisation.objects.filter(website_host__in=chunk):
                self.by_host.setdefault(org.website_host, []).append(org)
        for chunk in _chunked(sorted(names)):
            for org in Organisation.objects.filter(name_key__in=chunk):
                self.by_name.setdefault(org.name_key, []).append(org)

    def find(self, row: dict) -> Organisation | None:
        for index, value in (
            (self.by_host, website_host(row["website"] or "")),
            (self.by_name, fold_name(row["name"])),
        ):
            candidates = [org for org in index.get(value, []) if org.pk not in self.claimed]
            if value and len(candidates) == 1:
                self.claimed.add(candidates[0].pk)
                return candidates[0]
        return None


def _set_fields(instance, **values) -> bool:
    """Assign values; report whether anything differed (so unchanged rows are not saved)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name, None) != value:
            setattr(instance, name, value)
            changed = True
    return changed
