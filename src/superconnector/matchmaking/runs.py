"""Starting a matching run in the background (the work is domain.matching.matching_work; the
task, which this module queues, calls it)."""

from __future__ import annotations

import datetime as dt

from superconnector.core.domain.runs import active_run, start_run
from superconnector.events.models import Event
from superconnector.matchmaking import tasks
from superconnector.matchmaking.models import MatchingRun


def start_matching(event: Event, *, now: dt.datetime | None = None) -> MatchingRun:
    """Queue a matching run as a background task (after the surrounding transaction commits).

    A run already queued or running is returned instead of starting a second one, as for
    scheduling runs: a second click shows the run in progress (core.domain.runs.start_run).
    """
    return start_run(MatchingRun, event, tasks.compute_matching.enqueue, now=now)


def active_matching_run(event: Event, *, now: dt.datetime | None = None) -> MatchingRun | None:
    """The event's matching run still queued or running; stale ones are marked failed."""
    return active_run(MatchingRun, event, now=now)
