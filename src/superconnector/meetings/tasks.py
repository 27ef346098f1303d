"""Background work for scheduling and request expiry: receives ids, loads fresh rows, runs
the domain function."""

from django_tasks import task

from superconnector.events.models import Event
from superconnector.meetings.domain.expiry import expire_overdue_requests


@task()
def compute_schedule(run_id: int) -> dict:
    from superconnector.meetings.domain.runs import run_scheduling  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)
    from superconnector.meetings.models import SchedulingRun  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    run = SchedulingRun.objects.select_related("event").get(pk=run_id)
    return run_scheduling(run).stats


@task()
def expire_requests(event_id: int) -> int:
    """Run at the event's request deadline (queued by schedule_request_expiry). Does nothing
    if the deadline was moved later or removed meanwhile, or if the requests expired already."""
    event = Event.objects.filter(pk=event_id).first()
    return expire_overdue_requests(event) if event is not None else 0
