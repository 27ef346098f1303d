"""Starting a scheduling run in the background (the work is domain.scheduling.scheduling_work;
the task, which this module queues, calls it)."""

from __future__ import annotations

import datetime as dt

from superconnector.core.domain.runs import active_run as active_run_of
from superconnector.core.domain.runs import start_run
from superconnector.events.models import Event
from superconnector.meetings import tasks
from superconnector.meetings.models import SchedulingRun


def start_scheduling(
    event: Event, time_limit: float = 60.0, *, refuse_if_active: bool = False
) -> SchedulingRun:
    """Queue a scheduling run after the surrounding transaction commits.

    A run already queued or running for the event is returned instead of starting a second
    one (two runs would overwrite each other's schedule), so that a second click on "start"
    shows the run in progress; with `refuse_if_active`, RunAlreadyActive is raised instead
    (core.domain.runs.start_run).
    """
    return start_run(
        SchedulingRun,
        event,
        tasks.compute_schedule.enqueue,
        refuse_if_active=refuse_if_active,
        time_limit=max(1.0, float(time_limit)),
    )


def active_run(event: Event, now: dt.datetime | None = None) -> SchedulingRun | None:
    """The event's scheduling run still queued or running, if any; stale ones (see
    core.domain.runs.is_stale) are marked failed."""
    return active_run_of(SchedulingRun, event, now=now)
