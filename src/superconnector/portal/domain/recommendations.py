"""A delegate's recommendations, read from the stored results of the last matching run.

Matching runs in the background (organisers start it; `ensure_recommendations` is the
command line's way); the page never computes, it reads the stored people lists (through
meetings/domain/people.py, which the command line's `recommend --json` shares) and
OpportunityMatch rows. Targets the delegate already judged, and unpublished profiles,
are left out at once rather than at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from superconnector.directory.domain.visibility import (
    is_listed,
    is_listed_organisation,
    requestable_participants,
)
from superconnector.directory.models import Opportunity, Participant
from superconnector.matchmaking.domain.matching import record_feedback
from superconnector.matchmaking.domain.visibility import visible_opportunities
from superconnector.matchmaking.models import Feedback, MatchingRun, OpportunityMatch, Verdict
from superconnector.meetings.domain.people import PeopleToMeet, list_people_to_meet
from superconnector.meetings.models import ACTIVE_STATUSES, MeetingRequest

PER_OPPORTUNITY = 5


@dataclass
class OpportunityRecommendation:
    mine: Opportunity
    theirs: Opportunity
    score: float
    reasons: list[dict[str, object]]  # stored reasons (matchmaking/domain/reasons.py)


@dataclass
class Recommendations:
    people: PeopleToMeet = field(default_factory=PeopleToMeet)
    opportunities: list[OpportunityRecommendation] = field(default_factory=list)
    # Participants the delegate has an open or accepted request with (no second request).
    requested: frozenset[int] = frozenset()
    last_run: MatchingRun | None = None


def recommendations_for(participant: Participant, *, per_opportunity: int = PER_OPPORTUNITY):
    judged = Feedback.objects.filter(participant=participant)
    judged_links = {
        pk for (pk,) in judged.filter(organisation__isnull=False).values_list("organisation_id")
    }
    judged_opportunities = {
        pk for (pk,) in judged.filter(opportunity__isnull=False).values_list("opportunity_id")
    }
    # Only people who may be recommended to this delegate (the one rule, applied inside
    # list_people_to_meet); an unlisted delegate is recommended nobody.
    listed = is_listed(participant)
    people = list_people_to_meet(participant)
    link = participant.event_organisation_id
    # By the organisation's own opportunity ids rather than a join on their organisation,
    # so that the (need, rank) and (offer, rank) indexes answer it: the join's OR made the
    # database scan every match of the event (50 ms at 2,000 delegates, against 0.5).
    own_ids = list(
        Opportunity.objects.filter(event_organisation_id=link).values_list("pk", flat=True)
    )
    matches = (
        OpportunityMatch.objects.filter(
            Q(need_id__in=own_ids, rank_for_need__lte=per_opportunity)
            | Q(offer_id__in=own_ids, rank_for_offer__lte=per_opportunity)
        )
        .select_related(
            "need__event_organisation__organisation", "offer__event_organisation__organisation"
        )
        .order_by("-score", "pk")
    )
    opportunities = []
    for match in matches if listed else []:
        mine_is_need = match.need.event_organisation_id == link
        mine, theirs = (match.need, match.offer) if mine_is_need else (match.offer, match.need)
        # A confidential opportunity matched with one's own may be read (the rule in
        # visibility.visible_opportunities_q), so the organisation's listing is what counts.
        if (
            not is_listed_organisation(theirs.event_organisation)
            or theirs.pk in judged_opportunities
            or theirs.event_organisation_id in judged_links
        ):
            continue
        reasons = match.reasons_for_need if mine_is_need else match.reasons_for_offer
        opportunities.append(OpportunityRecommendation(mine, theirs, match.score, reasons))
    requested = MeetingRequest.objects.filter(
        Q(sender=participant) | Q(recipient=participant), status__in=ACTIVE_STATUSES
    ).values_list("sender_id", "recipient_id")
    return Recommendations(
        people=people,
        opportunities=opportunities,
        requested=frozenset(p for pair in requested for p in pair if p != participant.pk),
        last_run=MatchingRun.objects.filter(
            event_id=participant.event_id, status=MatchingRun.Status.DONE
        ).first(),
    )


def judge_recommendation(participant: Participant, verdict: str, target: str) -> str | None:
    """Record a verdict on "person:<participant pk>" (the person if "not relevant", else
    their organisation) or
    "opportunity:<pk>"; returns the target's display name, or None if it is not one the
    delegate may be recommended (then nothing is stored, and nothing is named)."""
    if verdict not in Verdict.values:
        return None
    kind, _sep, pk = target.partition(":")
    if not pk.isdigit():
        return None
    if kind == "person":
        other = (
            requestable_participants(participant)
            .filter(pk=int(pk))
            .select_related("event_organisation__organisation")
            .first()
        )
        if other is None:
            return None
        # "Not relevant" is about this person: a colleague may still be worth meeting.
        # "Competitor" and "already know them" are about the whole organisation.
        if verdict == Verdict.NOT_RELEVANT:
            record_feedback(participant, verdict, person=other)
            return other.person.name
        record_feedback(participant, verdict, organisation=other.event_organisation)
        return other.event_organisation.organisation.name
    if kind == "opportunity":
        opportunity = (
            visible_opportunities(participant)
            .filter(pk=int(pk))
            .exclude(event_organisation_id=participant.event_organisation_id)
            .first()
        )
        if opportunity is None:
            return None
        record_feedback(participant, verdict, opportunity=opportunity)
        return opportunity.title
    return None
