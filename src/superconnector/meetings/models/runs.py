import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from superconnector.core.models.run import BackgroundRun, one_active_run_per_event


class SchedulingRun(BackgroundRun):
    """One background scheduling run: its progress for the page, its figures after."""

    noun = _("scheduling run")
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


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")
    # A newer run's draft took its place before anyone decided.
    SUPERSEDED = "superseded", _("Replaced by a newer draft")


class ScheduleDraft(models.Model):
    """A re-planned schedule kept aside after publication: nothing is written over the
    announced schedule until an organiser has seen what would change and applies it.

    `basis` fingerprints the problem it was computed from (requests, absences, the stored
    schedule, the slots that had begun); a draft whose basis no longer matches is stale
    and is not applied (meetings/domain/drafts.py)."""

    Status = DraftStatus

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    # The back office's run that computed it; none when the command line did.
    run = models.OneToOneField(
        SchedulingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft"
    )
    status = models.CharField(max_length=16, choices=DraftStatus.choices, default="pending")
    # request key -> [slot id, table]
    placements = models.JSONField(default=dict, blank=True)
    # Participant keys planned as no-shows (the command's --absent as well as those marked).
    absent = models.JSONField(default=list, blank=True)
    basis = models.CharField(max_length=64)
    # Meeting by meeting: added, removed, moved (slot), table (only), gained; and people.
    counts = models.JSONField(default=dict, blank=True)
    # One row per person and change: [person key, kind, request key, counterpart key,
    # [slot, table] before or null, [slot, table] after or null].
    changes = models.JSONField(default=list, blank=True)
    # The run's figures (scheduled, proven bound, optimal, seconds), as the command prints.
    stats = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"draft of event {self.event_id} ({self.status}) {self.created_at:%Y-%m-%d %H:%M}"
