"""Background work for scheduling: receives ids, loads fresh rows, runs the domain function."""

from django_tasks import task


@task()
def compute_schedule(run_id: int) -> dict:
    from superconnector.meetings.domain.runs import run_scheduling
    from superconnector.meetings.models import SchedulingRun

    run = SchedulingRun.objects.select_related("event").get(pk=run_id)
    return run_scheduling(run).stats
