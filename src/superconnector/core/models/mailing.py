"""A bulk mailing: invitations to an event's delegates, or the agenda mails of a schedule
publication, sent by the task worker one recipient at a time while the organiser's page
follows how many have gone (see core/domain/runs.py for the life of a run).

The recipients are the ones the organiser confirmed (their count was on the confirmation
page): the run mails those and nobody else, whoever became a recipient meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from superconnector.core.models.run import BackgroundRun, one_active_run_per_event


class MailingKind(models.TextChoices):
    INVITATIONS = "invitations", _("Invitations")
    AGENDAS = "agendas", _("Agenda mails")


class BulkMailing(BackgroundRun):
    """One bulk send. Its statistics, once done: `total`, `sent`, and per participant left
    out or failed, {"participant": id, "reason": code} (codes, never messages: a message
    could quote an address, and the run is kept after its people are erased)."""

    Kind = MailingKind

    noun = _("bulk mailing")
    kind = models.CharField(max_length=16, choices=MailingKind.choices)
    # Participant ids, as confirmed; a list rather than a relation: who was confirmed
    # stays as it was, whatever happens to the participants later.
    recipients = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where the links in invitations lead (the site the organiser confirmed from).
    base_url = models.CharField(max_length=200, blank=True)

    class Meta(BackgroundRun.Meta):
        get_latest_by = "created_at"
        constraints = [
            # Two mailings of an event at once would mail the same delegates twice over
            # (a double click) or cross (invitations and agendas): one at a time.
            one_active_run_per_event("bulk_mailing_one_active_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind} {self.status} {self.created_at:%Y-%m-%d %H:%M}"
