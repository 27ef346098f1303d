"""Background work for matching: receives ids, loads fresh rows, runs the domain function."""

from django_tasks import task


@task()
def compute_matching(run_id: int) -> dict:
    from superconnector.matchmaking.domain.matching import run_matching  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)
    from superconnector.matchmaking.models import MatchingRun  # noqa: PLC0415 (TODO(runs): hides the cycle between this app's domain and tasks; the runs branch removes it)

    run = MatchingRun.objects.select_related("event").get(pk=run_id)
    return run_matching(run).stats
