"""Scheduling as a background run: queue it, run it with progress, report its quality.

The solver has no progress callback, so the run records coarse stages (problem, solving,
storing) and the page estimates progress inside the solving stage from the time limit:
the solver never runs longer than that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.directory.models import Participant
from superconnector.engine.scheduling.solution import changes_by_person
from superconnector.engine.scheduling.solve import solve
from superconnector.events.models import Event
from superconnector.meetings.domain.schedule import ScheduleRun as Computed
from superconnector.meetings.domain.schedule import (
    build_problem,
    schedule_document,
    store_schedule,
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
# A run still "running" after this long past its time limit died with its worker.
STALE_AFTER = dt.timedelta(minutes=10)


# How often start_scheduling looks again after losing a race (see there).
START_ATTEMPTS = 3


class RunAlreadyActive(Exception):
    """A scheduling run of the event is queued or running, so another may not start."""

    code = "run_active"

    def __init__(self, run: SchedulingRun | None = None) -> None:
        super().__init__(
            _(
                "A scheduling run for this event is already queued or running; wait for it "
                "to finish, then start again if needed."
            )
        )
        self.run = run


def start_scheduling(
    event: Event, time_limit: float = 60.0, *, refuse_if_active: bool = False
) -> SchedulingRun:
    """Queue a scheduling run after the surrounding transaction commits.

    A run already queued or running for the event is returned instead of starting a second
    one (two runs would overwrite each other's schedule), so that a second click on "start"
    shows the run in progress; with `refuse_if_active`, RunAlreadyActive is raised instead.

    Two starts at the same moment both find no active run; the database's partial unique
    constraint (one queued or running run per event) lets one INSERT through, and the
    other then finds that run and proceeds as if it had come second.
    """
    from superconnector.meetings.tasks import compute_schedule  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    for _attempt in range(START_ATTEMPTS):
        active = active_run(event)
        if active is not None:
            if refuse_if_active:
                raise RunAlreadyActive(active)
            return active
        try:
            with transaction.atomic():
                run = SchedulingRun.objects.create(
                    event=event, time_limit=max(1.0, float(time_limit))
                )
        except IntegrityError:
            # Lost the race. Usually the winner is found on the next look; if it finished
            # already in between, this start goes ahead as a new run.
            continue
        transaction.on_commit(lambda run_id=run.pk: compute_schedule.enqueue(run_id))
        return run
    raise RunAlreadyActive()


def active_run(event: Event, now: dt.datetime | None = None) -> SchedulingRun | None:
    """The event's run still queued or running, if any. Runs past their time limit by more
    than STALE_AFTER died with their worker: they are marked failed, so that neither they
    block new runs nor the run list shows them running for ever."""
    now = now or timezone.now()
    for run in SchedulingRun.objects.filter(
        event=event, status__in=[SchedulingRun.Status.QUEUED, SchedulingRun.Status.RUNNING]
    ):
        if now - run.created_at < dt.timedelta(seconds=run.time_limit) + STALE_AFTER:
            return run
        # Only if it is still unfinished: a late worker may have finished it meanwhile.
        SchedulingRun.objects.filter(pk=run.pk, status=run.status).update(
            status=SchedulingRun.Status.FAILED,
            error="The run stopped without finishing (its worker died); start a new one.",
            finished_at=now,
        )
    return None


def run_scheduling(run: SchedulingRun, *, now: dt.datetime | None = None) -> SchedulingRun:
    """Compute and store the event's schedule, recording stage and progress on the run.
    Slots that have begun by `now` (default: when it runs) take no new meeting."""
    event = run.event
    _save_progress(run, SchedulingRun.Status.RUNNING, STAGE_PROBLEM, 0.0, started=True)
    try:
        absent = frozenset(
            Participant.objects.filter(event=event, absent=True).values_list("key", flat=True)
        )
        problem = build_problem(event, absent, now=now)
        _save_progress(run, SchedulingRun.Status.RUNNING, STAGE_SOLVING, SOLVING_FROM)
        schedule, bound, seconds = solve(problem, time_limit=run.time_limit)
        _save_progress(run, SchedulingRun.Status.RUNNING, STAGE_STORING, STORING_FROM)
        store_schedule(event, problem, schedule)
        computed = Computed(
            problem,
            schedule,
            bound,
            seconds,
            changes_by_person(problem, problem.previous, schedule),
            begun_slots=len(problem.closed),
        )
        stats = schedule_document(event, computed)["stats"]
        # For the runs page: how many slots this run left out because they had begun.
        stats["slots_begun"] = computed.begun_slots
        stats["people_with_requests"] = len(problem.people)
        stats["people_without_meeting"] = len(
            set(problem.people)
            - {p for key in schedule.placements for p in problem.request_by_id[key].people}
        )
        stats["changed_people"] = len(computed.changes)
    except Exception as exc:
        run.status, run.error, run.finished_at = (
            SchedulingRun.Status.FAILED,
            f"{type(exc).__name__}: {exc}",
            timezone.now(),
        )
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    run.status, run.stage, run.progress = SchedulingRun.Status.DONE, "done", 1.0
    run.stats, run.finished_at = stats, timezone.now()
    run.save(update_fields=["status", "stage", "progress", "stats", "finished_at"])
    return run


def _save_progress(
    run: SchedulingRun, status: str, stage: str, progress: float, *, started: bool = False
) -> None:
    # An UPDATE outside the run's object: other processes poll these columns.
    run.status, run.stage, run.progress = status, stage, progress
    fields = {"status": status, "stage": stage, "progress": progress}
    if started:
        run.started_at = fields["started_at"] = timezone.now()
    SchedulingRun.objects.filter(pk=run.pk).update(**fields)


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
    run = SchedulingRun.objects.filter(event=event, status=SchedulingRun.Status.DONE).first()
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
