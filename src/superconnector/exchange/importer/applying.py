"""Carrying out an import plan inside one write transaction: the event, pruned rows, shared
records, then each list in the order their foreign keys need."""

from __future__ import annotations

import datetime as dt

from superconnector.directory.domain.ownership import Outcome, apply_record_changes
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
from superconnector.exchange.checks import session_slots
from superconnector.exchange.document import ROW_KEY
from superconnector.exchange.exporter import export_event_row
from superconnector.exchange.importer.bulk import BATCH, NewRows, save_all, set_fields
from superconnector.exchange.importer.planning import ImportPlan, record_plans
from superconnector.exchange.importer.report import ImportReport
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


class Applier:
    event: Event  # the event written to: set by _apply_event, the first step of run()

    def __init__(self, plan: ImportPlan, actor) -> None:
        self.plan = plan
        self.current = {
            name: {row[ROW_KEY[name]]: row for row in (plan.current or {}).get(name) or []}
            for name in LIST_NAMES
        }
        self.virtual = plan.virtual
        self.parsed = plan.parsed
        self.actor = actor
        self.report = plan.report
        self._links: dict[str, int] | None = None
        self.new_organisations = NewRows(
            Organisation, [p.organisation for p in plan.organisations if p.organisation.pk is None]
        )
        new_people = {id(p.person): p.person for p in plan.participants if p.person.pk is None}
        self.new_people = NewRows(Person, list(new_people.values()))
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
        self.links_rows = NewRows(EventOrganisation, list(self.new_links.values()))
        self.links_rows.prepare()
        self.participant_rows = NewRows(Participant, list(self.new_participants.values()))
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
        if self.plan.event is None:
            self.event = Event.objects.create(slug=row["slug"], **fields)
            self.report.event = "created"
            return
        self.event = self.plan.event
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
            model._default_manager.filter(
                **{event_lookup: self.event, f"{key_lookup}__in": keys}
            ).delete()

    # --- directory ---------------------------------------------------------------------------
    # Rows are written in batches: a 3,000-person fair has tens of thousands of them.

    def _apply_shared_records(self) -> None:
        """Fill, apply and propose as planned; audited in every event showing the record."""
        changes = [
            change
            for plan in record_plans(self.plan.organisations, self.plan.participants)
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
        save_all([], updated, ORGANISATION_FIELDS)
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
        save_all(
            [],
            list(updated.values()),
            ["name", "name_zh", "title", "phone", "languages", "updated_at"],
        )
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
        save_all([], changed, ["person", "event_organisation", "role", "updated_at"])
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
            set_fields(
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
        save_all(
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
            set_fields(
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
        closing: list[MeetingRequest] = []
        opening: list[MeetingRequest] = []
        history = []
        for key, row, previous in incoming:
            request = existing.get(key) or MeetingRequest(event=self.event, key=key)
            sender, recipient = participants[row["from"]], participants[row["to"]]
            set_fields(
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
            save_all(
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
        save_all(created, locks_changed, ["locked", "updated_at"])
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
        by_time: dict[tuple[str, str, str], int] = {}
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
