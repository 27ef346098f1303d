"""Background work for scheduling and request expiry: receives ids, loads fresh rows, runs
the domain function (a run's work through the one run wrapper, core.domain.runs.perform_run)."""

from django_tasks import task

from superconnector.core.domain.runs import perform_run
from superconnector.events.models import Event
from superconnector.meetings.domain.expiry import expire_overdue_requests
from superconnector.meetings.domain.scheduling import scheduling_work
from superconnector.meetings.models import SchedulingRun


@task()
def compute_schedule(run_id: int) -> dict:
    run = perform_run(SchedulingRun, run_id, scheduling_work)
    return run.stats if run is not None else {"gone": True}


@task()
def expire_requests(event_id: int) -> int:
    """Run at the event's request deadline (queued by schedule_request_expiry). Does nothing
    if the deadline was moved later or removed meanwhile, or if the requests expired already."""
    event = Event.objects.filter(pk=event_id).first()
    return expire_overdue_requests(event) if event is not None else 0
