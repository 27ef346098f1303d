"""Importing an exchange document: all or nothing, upserting by key, idempotent.

    parse -> read_document (structure) -> build_virtual_event + check_virtual_event (whole
    event) -> _Applier (writes, one transaction)

A second import of the same document compares equal row by row and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from superconnector.directory.domain.identity import fold_name, website_host
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Organisation,
    Participant,
    Person,
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

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

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

    @property
    def changed(self) -> bool:
        return self.event != "unchanged" or any(t.changed for t in self.tallies.values())

    def as_dict(self) -> dict:
        return {
            "ok": True,
            "event": self.event_slug,
            "event_change": self.event,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "tallies": {name: vars(tally) for name, tally in self.tallies.items()},
            "warnings": [{"path": w.path, "message": w.message} for w in self.warnings],
        }

    def render(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        lines = [f'{verb} event "{self.event_slug}" (event {self.event}).']
        for name, tally in self.tallies.items():
            if tally.changed or tally.unchanged:
                lines.append(f"  {name}: {tally}")
        if not self.changed:
            lines.append("Nothing changed.")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


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
) -> ImportReport:
    """Check the whole document against the event, then write it in one transaction.

    Raises ImportRejected (listing every problem, each with its JSON path) and writes
    nothing if anything is wrong. With `prune`, rows of the lists present in the document
    that the document does not mention are deleted; without it nothing is ever deleted.
    """
    parsed = read_document(data, lenient=lenient, source=source)
    try:
        with transaction.atomic():
            event = Event.objects.select_for_update().filter(slug=parsed.event["slug"]).first()
            current = export_event(event) if event else None
            virtual = build_virtual_event(current, parsed, prune)
            problems = parsed.problems + check_virtual_event(virtual)
            if problems:
                raise ImportRejected(problems, source)
            report = _Applier(event, current, virtual, parsed, actor).run()
            report.dry_run = dry_run
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        # The checks above should have caught it; the database is the last guard.
        raise ImportRejected(
            [Problem("$", f"the database refused the import: {exc}")], source
        ) from exc
    return report


class _Applier:
    def __init__(
        self,
        event: Event | None,
        current: dict | None,
        virtual: VirtualEvent,
        parsed: ParsedDocument,
        actor,
    ) -> None:
        self.event = event
        self.current = {
            name: {row[ROW_KEY[name]]: row for row in (current or {}).get(name) or []}
            for name in LIST_NAMES
        }
        self.virtual = virtual
        self.parsed = parsed
        self.actor = actor
        self.report = ImportReport(parsed.event["slug"], "unchanged", warnings=parsed.warnings)

    def run(self) -> ImportReport:
        self._apply_event()
        self._remove_pruned()
        self._apply_organisations()
        self._apply_participants()
        self._apply_opportunities()
        self._apply_sessions()
        self._apply_availability()
        self._apply_requests()
        self._apply_meetings()
        return self.report

    def _incoming(self, name: str):
        """(key, row, previous canonical row or None) for each incoming row that changed."""
        tally = self.report.tallies[name]
        for key, row in self.virtual.lists[name].items():
            if not row.incoming:
                continue
            previous = self.current[name].get(key)
            if previous == row.data:
                tally.unchanged += 1
                continue
            if previous is None:
                tally.created += 1
            else:
                tally.updated += 1
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
            self.report.tallies[name].deleted += len(keys)

    # --- directory ---------------------------------------------------------------------------
    # Rows are written in batches: a 3,000-person fair has tens of thousands of them.

    def _apply_organisations(self) -> None:
        links = {
            link.key: link
            for link in EventOrganisation.objects.filter(event=self.event).select_related(
                "organisation"
            )
        }
        changed = list(self._incoming("organisations"))
        finder = _ReturningOrganisations(
            [row for key, row, _previous in changed if key not in links],
            claimed={link.organisation_id for link in links.values()},
        )
        new_links = []
        for key, row, _previous in changed:
            link = links.get(key)
            organisation = link.organisation if link else finder.find(row) or Organisation()
            _set_fields(
                organisation,
                name=row["name"],
                name_zh=row["name_zh"] or "",
                kind=row["kind"],
                region=row["region"],
                sectors=row["sectors"],
                description=row["description"],
                language=row["language"],
                website=row["website"] or "",
            )
            organisation.refresh_identity()
            if link is None:
                new_links.append(
                    EventOrganisation(event=self.event, organisation=organisation, key=key)
                )
        changed_keys = {key for key, _row, _previous in changed}
        updated = [link.organisation for key, link in links.items() if key in changed_keys]
        updated += [link.organisation for link in new_links if link.organisation.pk is not None]
        created = [link.organisation for link in new_links if link.organisation.pk is None]
        _save_all(created, updated, ORGANISATION_FIELDS)
        for link in new_links:
            link.organisation_id = link.organisation.pk
        EventOrganisation.objects.bulk_create(new_links)

    def _organisation_links(self) -> dict[str, EventOrganisation]:
        return {link.key: link for link in EventOrganisation.objects.filter(event=self.event)}

    def _apply_participants(self) -> None:
        links = self._organisation_links()
        existing = {
            p.key: p for p in Participant.objects.filter(event=self.event).select_related("person")
        }
        changed = list(self._incoming("participants"))
        known = {
            person.email.lower(): person
            for person in Person.objects.filter(email__in=[row["email"] for _k, row, _p in changed])
        }
        new_people: dict[str, Person] = {}
        participants = []
        for key, row, _previous in changed:
            participant = existing.get(key)
            person = _resolve_person(participant, row["email"], known, new_people)
            _set_fields(
                person,
                name=row["name"],
                title=row["title"] or "",
                phone=row["phone"] or "",
                languages=row["languages"],
            )
            participant = participant or Participant(event=self.event, key=key)
            participant.person = person
            participant.event_organisation = links[row["organisation"]]
            participant.role = row["role"]
            participants.append(participant)
        people = {id(p.person): p.person for p in participants}.values()
        _save_all(
            [p for p in people if p.pk is None],
            [p for p in people if p.pk is not None],
            ["email", "name", "title", "phone", "languages", "updated_at"],
        )
        for participant in participants:
            participant.person_id = participant.person.pk
        _save_all(
            [p for p in participants if p.pk is None],
            [p for p in participants if p.pk is not None],
            ["person", "event_organisation", "role", "updated_at"],
        )

    def _apply_opportunities(self) -> None:
        links = self._organisation_links()
        existing = {o.key: o for o in Opportunity.objects.filter(event=self.event)}
        opportunities = []
        for key, row, _previous in self._incoming("opportunities"):
            opportunity = existing.get(key) or Opportunity(event=self.event, key=key)
            _set_fields(
                opportunity,
                event_organisation=links[row["organisation"]],
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
        existing = {s.key: s for s in MeetingSession.objects.filter(event=self.event)}
        changed = list(self._incoming("meeting_sessions"))
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
        participants = {p.key: p for p in Participant.objects.filter(event=self.event)}
        sessions = {s.key: s for s in MeetingSession.objects.filter(event=self.event)}
        tz = self.event.tzinfo
        for key, row, _previous in self._incoming("availability"):
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
        participants = {
            p.key: p
            for p in Participant.objects.filter(event=self.event).select_related(
                "event_organisation"
            )
        }
        existing = {r.key: r for r in MeetingRequest.objects.filter(event=self.event)}
        closing, opening, history = [], [], []
        for key, row, previous in self._incoming("meeting_requests"):
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
        tally = self.report.tallies["meetings"]
        created, locks_changed = [], []
        for key, (slot_id, table, locked) in wanted.items():
            meeting = placed.get(key)
            if meeting is not None and meeting.pk not in stale:
                if meeting.locked != locked:
                    meeting.locked = locked
                    locks_changed.append(meeting)
                    tally.updated += 1
                elif self.virtual.lists["meetings"][key].incoming:
                    tally.unchanged += 1
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
            if self.current["meetings"].get(key) is None:
                tally.created += 1
            else:
                tally.updated += 1
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


def _resolve_person(
    participant: Participant | None,
    email: str,
    known: dict[str, Person],
    new_people: dict[str, Person],
) -> Person:
    """The person behind a participant row: same e-mail, a known person, or a new one."""
    if participant is not None and participant.person.email.lower() == email:
        return participant.person
    if email in known:
        return known[email]
    if participant is not None:
        # The participant's address changed to one nobody has: a correction, same person.
        participant.person.email = email
        return participant.person
    return new_people.setdefault(email, Person(email=email))


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
        for org in Organisation.objects.filter(website_host__in=hosts) if hosts else []:
            self.by_host.setdefault(org.website_host, []).append(org)
        for org in Organisation.objects.filter(name_key__in=names):
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
