"""Background work for matching: receives ids, and runs the domain's work on fresh rows
through the one run wrapper (core.domain.runs.perform_run)."""

from django_tasks import task

from superconnector.core.domain.runs import perform_run
from superconnector.matchmaking.domain.matching import matching_work
from superconnector.matchmaking.models import MatchingRun


@task()
def compute_matching(run_id: int) -> dict:
    run = perform_run(MatchingRun, run_id, matching_work)
    return run.stats if run is not None else {"gone": True}
