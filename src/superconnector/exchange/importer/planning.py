"""Planning an import, read only: the whole event checked, every row decided, nothing
written (see importing.py for where the plan is made and carried out)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from superconnector.directory.domain.ownership import (
    FieldChange,
    Outcome,
    Sharing,
    is_platform_staff,
    load_sharing,
    owned_by,
    plan_record_changes,
)
from superconnector.directory.identity import fold_name, website_host
from superconnector.directory.models import (
    EventOrganisation,
    Organisation,
    Participant,
    Person,
)
from superconnector.events.models import Event
from superconnector.exchange.checks import (
    VirtualEvent,
    build_virtual_event,
    check_virtual_event,
    session_slots,
)
from superconnector.exchange.document import ROW_KEY, ParsedDocument
from superconnector.exchange.exporter import export_event, export_event_row
from superconnector.exchange.fingerprint import take_fingerprint
from superconnector.exchange.importer.bulk import set_fields
from superconnector.exchange.importer.report import ImportReport
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.schema import LIST_NAMES


@dataclass
class OrganisationPlan:
    key: str
    row: dict
    link: EventOrganisation | None
    organisation: Organisation  # unsaved when new to the platform
    changes: list[FieldChange]
    event_facts_changed: bool = False


@dataclass
class ParticipantPlan:
    key: str
    row: dict
    participant: Participant | None
    person: Person  # unsaved when new to the platform
    changes: list[FieldChange]
    event_facts_changed: bool = False


def record_plans(
    organisations: list[OrganisationPlan], participants: list[ParticipantPlan]
) -> list[OrganisationPlan | ParticipantPlan]:
    """Both kinds of shared-record plan, for walking their changes together."""
    return [*organisations, *participants]


@dataclass
class ImportPlan:
    """What an import would do, computed without writing: the applier carries it out."""

    parsed: ParsedDocument
    event: Event | None
    current: dict | None
    virtual: VirtualEvent
    report: ImportReport
    organisations: list[OrganisationPlan]
    participants: list[ParticipantPlan]
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


class Planner:
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
            for plan in record_plans(organisations, participants)
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

    def _plan_organisations(self) -> list[OrganisationPlan]:
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
            plans.append(OrganisationPlan(key, row.data, link, organisation or Organisation(), []))
        existing = [p.organisation.pk for p in plans if p.organisation.pk is not None]
        self.org_sharing = load_sharing("organisation", existing, self.event)
        may_apply = self._may_apply("organisation", existing)
        tally = self.report.tallies["organisations"]
        for plan in plans:
            values = _organisation_values(plan.row)
            if plan.organisation.pk is None:
                set_fields(plan.organisation, **values)
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

    def _plan_participant_people(self) -> tuple[list[ParticipantPlan], list[Problem]]:
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
            plans.append(ParticipantPlan(key, row.data, participant, person, []))
        return plans, problems

    def _plan_person_fields(self, plans: list[ParticipantPlan]) -> None:
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
                    set_fields(plan.person, **values)
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
        session_of: dict[tuple[str, str, str], str] = {}
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
        "name_zh": row["name_zh"] or "",
        "title": row["title"] or "",
        "phone": row["phone"] or "",
        "languages": row["languages"],
    }


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
