"""The background run: work too long for a web request (matching, scheduling, an import's
check), done by the task worker while a page follows its stage and progress.

Its life and its staleness rule are in core/domain/runs.py, shared by every kind of run.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A run in one of these may still change what its event shows; the others are over.
ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class BackgroundRun(models.Model):
    """One piece of background work for an event, with its progress for the page."""

    Status = RunStatus

    # A string reference, not an import: core stays below events in the layers.
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Stored in English (the run is data); each kind shows its stages in the reader's language.
    stage = models.CharField(max_length=100, blank=True)
    progress = models.FloatField(default=0.0)
    stats = models.JSONField(default=dict, blank=True)
    # Why the work stopped without an answer (a crash, or a worker that died).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # How long past its own time limit (see time_allowed) a run may go, queued or running,
    # before it is presumed dead with its worker. The biggest matching or import takes
    # minutes, not hours; a kind with a time limit of its own needs less margin.
    stale_margin: ClassVar[dt.timedelta] = dt.timedelta(hours=1)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def time_allowed(self) -> dt.timedelta:
        """How long the work itself may take once started; nothing, for kinds without a
        time limit of their own (their stale_margin covers them)."""
        return dt.timedelta(0)

    def queued_since(self) -> dt.datetime:
        """When the run was last queued: a kind that queues the same row again says so."""
        return self.created_at

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def one_active_run_per_event(name: str) -> models.UniqueConstraint:
    """The database's guard against two runs of one kind at once for an event (two runs
    would overwrite each other's results): two clicks on "start" at the same moment both
    pass the check in start_run, this does not. Partial unique indexes work alike on
    SQLite and PostgreSQL."""
    return models.UniqueConstraint(
        fields=["event"],
        condition=models.Q(status__in=[status.value for status in ACTIVE_STATUSES]),
        name=name,
    )
