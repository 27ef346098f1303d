from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from superconnector.core.models.run import BackgroundRun, one_active_run_per_event


class MatchingRun(BackgroundRun):
    """One computation of an event's recommendations, with its progress for the web page."""

    noun = _("matching run")

    class Meta(BackgroundRun.Meta):
        constraints = [
            # Two runs at once would each replace the event's recommendations under the
            # other; the last guard against a double click or two organisers at once.
            one_active_run_per_event("matching_run_one_active_per_event"),
        ]

    def __str__(self) -> str:
        return f"matching {self.event.slug} #{self.pk} {self.status}"


class OpportunityMatch(models.Model):
    """A need-offer pair with its rank in the need's list and in the offer's list."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey(
        "directory.Opportunity", on_delete=models.CASCADE, related_name="offer_matches"
    )
    offer = models.ForeignKey(
        "directory.Opportunity", on_delete=models.CASCADE, related_name="need_matches"
    )
    score = models.FloatField()
    rank_for_need = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_for_offer = models.PositiveSmallIntegerField(null=True, blank=True)
    reasons_for_need = models.JSONField(default=list, blank=True)
    reasons_for_offer = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "offer"], name="opportunity_match_unique"),
        ]
        indexes = [
            models.Index(fields=["need", "rank_for_need"]),
            models.Index(fields=["offer", "rank_for_offer"]),
        ]

    def __str__(self) -> str:
        return f"{self.need.key} -> {self.offer.key} {self.score:.2f}"


class OrganisationMatch(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="partner_matches"
    )
    partner = models.ForeignKey(
        "directory.EventOrganisation", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["organisation", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "partner"], name="organisation_match_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.key} -> {self.partner.key} {self.score:.2f}"


class MeetingSuggestion(models.Model):
    """A person in a participant's list of people to meet (engine/people.py).

    One row per person of each recommended organisation: `rank` is the organisation's
    place in the list, `choice` the person's place within it (0 is the one to see, the
    others are their colleagues, named beside them), so a page can step to a colleague
    or to the next organisation when one is hidden."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="suggestions"
    )
    suggested = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    choice = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    # [{"need": key, "offer": key, "score": p}]: the links between the two organisations
    # that clear the engine's threshold (engine.matching.inputs.Link).
    links = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["participant", "rank", "choice"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "suggested"], name="suggestion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant.key} -> {self.suggested.key}"


class Verdict(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not relevant")
    ALREADY_KNOW = "already_know", _("Already know them")
    COMPETITOR = "competitor", _("Competitor")


class Feedback(models.Model):
    """A delegate's verdict on a recommended opportunity, organisation or person.

    A person is judged only "not relevant" (engine/people.py then shows their colleague
    or the next organisation); "competitor" and "already know them" are verdicts on the
    whole organisation (matchmaking/domain/people.judge_person)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "directory.Participant", on_delete=models.CASCADE, related_name="feedback"
    )
    opportunity = models.ForeignKey(
        "directory.Opportunity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.EventOrganisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "directory.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    opportunity__isnull=False, organisation__isnull=True, person__isnull=True
                )
                | Q(opportunity__isnull=True, organisation__isnull=False, person__isnull=True)
                | Q(opportunity__isnull=True, organisation__isnull=True, person__isnull=False),
                name="feedback_one_target",
            ),
            models.UniqueConstraint(
                fields=["participant", "opportunity"],
                condition=Q(opportunity__isnull=False),
                name="feedback_once_per_opportunity",
            ),
            models.UniqueConstraint(
                fields=["participant", "organisation"],
                condition=Q(organisation__isnull=False),
                name="feedback_once_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["participant", "person"],
                condition=Q(person__isnull=False),
                name="feedback_once_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.key}: {self.verdict}"
