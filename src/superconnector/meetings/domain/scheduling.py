"""Scheduling as a background run's work: compute the schedule with progress, and report
its quality. (Starting a run is meetings/runs.py.)

The solver has no progress callback, so the run records coarse stages (problem, solving,
storing) and the page estimates progress inside the solving stage from the time limit:
the solver never runs longer than that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from superconnector.core.domain.runs import Progress, execute_run
from superconnector.directory.models import Participant
from superconnector.events.models import Event
from superconnector.meetings.domain.drafts import is_published, save_draft
from superconnector.meetings.domain.schedule import (
    schedule_document,
    schedule_event,
)
from superconnector.meetings.models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    RequestStatus,
    SchedulingRun,
)

# Stages and the progress reached when each begins; solving fills the gap up to storing.
STAGE_PROBLEM = "building the problem"
STAGE_SOLVING = "solving"
STAGE_STORING = "storing the schedule"
SOLVING_FROM, STORING_FROM = 0.1, 0.9
# Stored in English (the run is data); shown in the reader's language.
STAGE_LABELS = {
    STAGE_PROBLEM: gettext_lazy("building the problem"),
    STAGE_SOLVING: gettext_lazy("solving"),
    STAGE_STORING: gettext_lazy("storing the schedule"),
}


def scheduling_work(
    run: SchedulingRun, progress: Progress, *, now: dt.datetime | None = None
) -> dict:
    """Compute and store the event's schedule (the run's work; see core/domain/runs.py),
    reporting its stages; returns the run's figures. Slots that have begun by `now`
    (default: when it runs) take no new meeting.

    Once the schedule is published, the result is kept as a draft instead (drafts.py):
    nothing announced is written over until an organiser applies it."""
    event = run.event
    progress(STAGE_PROBLEM, 0.0)
    absent = frozenset(
        Participant.objects.filter(event=event, absent=True).values_list("key", flat=True)
    )
    starts = {"solving": (STAGE_SOLVING, SOLVING_FROM), "storing": (STAGE_STORING, STORING_FROM)}
    as_draft = is_published(event)
    computed = schedule_event(
        event,
        time_limit=run.time_limit,
        store=not as_draft,
        absent=absent,
        now=now,
        on_stage=lambda stage: progress(*starts[stage]),
    )
    problem, schedule = computed.problem, computed.schedule
    stats = schedule_document(event, computed)["stats"]
    # For the runs page: how many slots this run left out because they had begun.
    stats["slots_begun"] = computed.begun_slots
    stats["people_with_requests"] = len(problem.people)
    stats["people_without_meeting"] = len(
        set(problem.people)
        - {p for key in schedule.placements for p in problem.request_by_id[key].people}
    )
    stats["changed_people"] = len(computed.changes)
    if as_draft:
        stats["draft"] = save_draft(event, computed, absent, run=run).pk
    return stats


def run_scheduling(run: SchedulingRun, *, now: dt.datetime | None = None) -> SchedulingRun:
    """A scheduling run here and now, not in the task worker, with its stages recorded."""
    return execute_run(run, partial(scheduling_work, now=now))


def displayed_progress(run: SchedulingRun, now: dt.datetime | None = None) -> float:
    """The fraction to show: inside the solving stage, estimated from the time limit."""
    if run.status == SchedulingRun.Status.DONE:
        return 1.0
    if run.stage == STAGE_SOLVING and run.started_at:
        elapsed = ((now or timezone.now()) - run.started_at).total_seconds()
        share = min(1.0, max(0.0, elapsed / max(run.time_limit, 1.0)))
        return max(run.progress, SOLVING_FROM + (STORING_FROM - SOLVING_FROM) * share)
    return run.progress


@dataclass
class ScheduleQuality:
    """How good the stored schedule is, for the organiser before they publish it."""

    accepted: int
    scheduled: int
    upper_bound: int | None
    optimal: bool
    idle_gaps: int | None
    people_with_requests: int
    people_without_meeting: int
    run: SchedulingRun | None

    @property
    def share_of_bound(self) -> float | None:
        if not self.upper_bound:
            return None
        return min(1.0, self.scheduled / self.upper_bound)


def schedule_quality(event: Event) -> ScheduleQuality:
    """Live counts from the database, with the bound and gaps of the last finished run
    (they need the solver; they describe the schedule as that run stored it)."""
    accepted = MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
    scheduled = Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
    people = set(accepted.values_list("sender_id", flat=True)) | set(
        accepted.values_list("recipient_id", flat=True)
    )
    seated = set(
        MeetingSeat.objects.filter(
            meeting__event=event, meeting__request__status=RequestStatus.ACCEPTED
        ).values_list("participant_id", flat=True)
    )
    absent = set(
        Participant.objects.filter(Q(event=event) & Q(absent=True)).values_list("pk", flat=True)
    )
    # The figures of the last run whose schedule was stored: a draft still waiting, or
    # discarded, describes a schedule that is not the one shown.
    run = (
        SchedulingRun.objects.filter(event=event, status=SchedulingRun.Status.DONE)
        .exclude(draft__status__in=["pending", "discarded", "superseded"])
        .first()
    )
    stats = run.stats if run else {}
    return ScheduleQuality(
        accepted=accepted.count(),
        scheduled=scheduled.count(),
        upper_bound=stats.get("upper_bound"),
        optimal=bool(stats.get("optimal")),
        idle_gaps=stats.get("idle_gaps"),
        people_with_requests=len(people - absent),
        people_without_meeting=len(people - absent - seated),
        run=run,
    )
