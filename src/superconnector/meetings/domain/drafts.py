"""Re-planning after publication, as a draft: the schedule delegates were told about is not
written over until an organiser has seen what would change and applied it.

Before the first publication a run stores its schedule directly, as it always did. After
it, the run (the back office's "Run scheduling", or `schedule` without `--apply-now`) is
kept as a ScheduleDraft with its counts and per-person changes. Applying writes it through
store_schedule, and the next publication tells each delegate what moved; discarding
leaves everything as it is.

A draft is computed from one problem: the accepted requests, the absences, the stored
schedule and the slots that had begun. If any of that changed since (a cancellation, a
late accept, a no-show repaired at the door, a slot that began), the draft is stale and is
refused: applying it would undo what happened meanwhile.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.directory.models import Participant
from superconnector.engine.scheduling import Placement, Problem, Schedule
from superconnector.engine.scheduling.solution import count_changes
from superconnector.events.domain.audit import record_audit
from superconnector.events.models import Event
from superconnector.events.models import Slot as SlotRow
from superconnector.meetings.domain.schedule import (
    ScheduleRun,
    build_problem,
    describe_placement_change,
    schedule_document,
    store_schedule,
)
from superconnector.meetings.models import DraftStatus, ScheduleDraft, SchedulingRun


class DraftRefused(Exception):
    """The draft cannot be applied or discarded; `code` says why, the message says it plainly."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def is_published(event: Event) -> bool:
    """Whether delegates have been told a schedule: re-planning then goes through a draft."""
    return event.schedule_published_at is not None


def problem_fingerprint(problem: Problem) -> str:
    """A digest of everything a schedule is computed from. Two problems with the same
    digest give a draft the same meaning; any change in requests, absences (availability),
    stored meetings, locks or begun slots changes it."""
    content = {
        "slots": sorted((s.id, s.start, s.end, s.tables) for s in problem.slots),
        "requests": sorted((r.id, r.a, r.b, r.priority) for r in problem.requests),
        "availability": sorted((p, sorted(slots)) for p, slots in problem.availability.items()),
        "locked": sorted((k, p.slot, p.table) for k, p in problem.locked.items()),
        "previous": sorted((k, p.slot, p.table) for k, p in problem.previous.items()),
        "closed": sorted(problem.closed),
        "booths": sorted(problem.fixed_table.items()),
    }
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _basis(event: Event, problem: Problem) -> str:
    """The problem's fingerprint with the people marked absent now: marking or unmarking
    a no-show changes what a run would plan, even before it cancels anything."""
    marked = sorted(
        Participant.objects.filter(event=event, absent=True).values_list("key", flat=True)
    )
    return hashlib.sha256(f"{problem_fingerprint(problem)} {marked}".encode()).hexdigest()


def _placement(value: Placement | None) -> list | None:
    return None if value is None else [value.slot, value.table]


@transaction.atomic
def save_draft(
    event: Event,
    computed: ScheduleRun,
    absent: frozenset[str],
    *,
    run: SchedulingRun | None = None,
) -> ScheduleDraft:
    """Keep a computed schedule as the event's draft; an earlier undecided draft is replaced
    (only the newest is offered)."""
    problem, schedule = computed.problem, computed.schedule
    ScheduleDraft.objects.filter(event=event, status=DraftStatus.PENDING).update(
        status=DraftStatus.SUPERSEDED, decided_at=timezone.now()
    )
    counts: dict[str, int | None] = {**count_changes(problem.previous, schedule)}
    counts["people"] = len(computed.changes)
    # What stability costs: the meetings a schedule that moves nobody would hold.
    counts["zero_move"] = schedule.zero_move_meetings
    rows = [
        [person, c.kind, c.request, c.counterpart, _placement(c.before), _placement(c.after)]
        for person, items in sorted(computed.changes.items())
        for c in items
    ]
    return ScheduleDraft.objects.create(
        event=event,
        run=run,
        placements={k: [p.slot, p.table] for k, p in schedule.placements.items()},
        absent=sorted(absent),
        basis=_basis(event, problem),
        counts=counts,
        changes=rows,
        stats=schedule_document(event, computed)["stats"],
    )


def pending_draft(event: Event) -> ScheduleDraft | None:
    """The draft waiting for a decision, if any (at most one: a newer one replaces it)."""
    return ScheduleDraft.objects.filter(event=event, status=DraftStatus.PENDING).first()


def _current_problem(draft: ScheduleDraft, now: dt.datetime | None) -> Problem:
    return build_problem(draft.event, frozenset(draft.absent), now=now)


def is_stale(draft: ScheduleDraft, *, now: dt.datetime | None = None) -> bool:
    """True when what the draft was computed from has changed since (see the module)."""
    return _basis(draft.event, _current_problem(draft, now)) != draft.basis


STALE_MESSAGE_CODE = "stale"


def stale_message() -> str:
    return _(
        "This draft is out of date: requests, absences, the stored schedule or the slots "
        "that have begun changed after it was computed. Applying it would undo those "
        "changes, so it cannot be applied; run scheduling again for a new draft."
    )


def _decidable(draft: ScheduleDraft) -> ScheduleDraft:
    locked = ScheduleDraft.objects.select_for_update().select_related("event").get(pk=draft.pk)
    if locked.status != DraftStatus.PENDING:
        raise DraftRefused(
            "decided",
            _("This draft was already decided: %(status)s.")
            % {"status": locked.get_status_display()},
        )
    return locked


def apply_draft(draft: ScheduleDraft, user, *, now: dt.datetime | None = None) -> ScheduleDraft:
    """Write the draft's schedule (all or nothing), refusing a stale or decided draft.
    Delegates are told what moved at the next publication, as after any run."""
    with transaction.atomic():
        draft = _decidable(draft)
        problem = _current_problem(draft, now)
        if _basis(draft.event, problem) != draft.basis:
            raise DraftRefused(STALE_MESSAGE_CODE, stale_message())
        placements = {k: Placement(slot, table) for k, (slot, table) in draft.placements.items()}
        store_schedule(draft.event, problem, Schedule(placements))
        _decide(draft, DraftStatus.APPLIED, user)
    return draft


def discard_draft(draft: ScheduleDraft, user) -> ScheduleDraft:
    """Drop the draft: the stored (announced) schedule stays exactly as it is."""
    with transaction.atomic():
        draft = _decidable(draft)
        _decide(draft, DraftStatus.DISCARDED, user)
    return draft


def _decide(draft: ScheduleDraft, status: str, user) -> None:
    draft.status, draft.decided_at = status, timezone.now()
    draft.decided_by = user if getattr(user, "is_authenticated", False) else None
    draft.save(update_fields=["status", "decided_at", "decided_by"])
    action = "apply" if status == DraftStatus.APPLIED else "discard"
    record_audit(user, action, "schedule draft", event=draft.event, draft=draft.pk, **draft.counts)


# How each kind of change is named to the organiser.
KIND_LABELS = {
    "added": gettext_lazy("new meeting"),
    "removed": gettext_lazy("removed"),
    "moved": gettext_lazy("another slot"),
    "table": gettext_lazy("another table only"),
}


@dataclass
class DraftLine:
    """One person's change, as the draft page lists it."""

    person: str
    organisation: str
    kind: str
    label: str
    counterpart: str
    request: str
    what: str


def draft_lines(draft: ScheduleDraft) -> list[DraftLine]:
    """The per-person changes with names and times, in the reader's language."""
    event = draft.event
    keys = {row[0] for row in draft.changes} | {row[3] for row in draft.changes}
    people = {
        p.key: p
        for p in Participant.objects.filter(event=event, key__in=keys).select_related(
            "person", "event_organisation__organisation"
        )
    }
    slots = {row.pk: row for row in SlotRow.objects.filter(session__event=event)}
    lines = []
    for person, kind, request, counterpart, before, after in draft.changes:
        who, other = people.get(person), people.get(counterpart)
        lines.append(
            DraftLine(
                person=who.person.name if who else person,
                organisation=who.event_organisation.organisation.name if who else "",
                kind=kind,
                label=str(KIND_LABELS.get(kind, kind)),
                counterpart=other.person.name if other else counterpart,
                request=request,
                what=describe_placement_change(
                    event,
                    kind,
                    Placement(*before) if before else None,
                    Placement(*after) if after else None,
                    slots,
                ),
            )
        )
    return lines
