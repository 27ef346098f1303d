import datetime as dt

from django.db import models

from superconnector.core.models.run import BackgroundRun, one_active_run_per_event


class SchedulingRun(BackgroundRun):
    """One background scheduling run: its progress for the page, its figures after."""

    time_limit = models.FloatField(default=60.0)

    # The solver never runs past its time limit; storing the schedule takes a few seconds
    # more. A run still unfinished this long after that died with its worker.
    stale_margin = dt.timedelta(minutes=10)

    class Meta(BackgroundRun.Meta):
        get_latest_by = "created_at"
        constraints = [
            # Two runs at once would overwrite each other's schedule.
            one_active_run_per_event("scheduling_run_one_active_per_event"),
        ]

    def time_allowed(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.time_limit)

    def __str__(self) -> str:
        return f"{self.event_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"
