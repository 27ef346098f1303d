"""Vetting profiles: which organisations of an event other delegates may see."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from superconnector.directory.domain.visibility import (
    unlisted_reasons,
    visible_organisations_q,
    visible_people_q,
)
from superconnector.directory.models import (
    EventOrganisation,
    Opportunity,
    Participant,
    ReviewStatus,
)
from superconnector.events.models import Event
from superconnector.meetings.domain.unlisting import withdraw_unlisted


def event_organisations_for_review(
    event: Event, *, status: str = "", kind: str = "", query: str = ""
) -> QuerySet[EventOrganisation]:
    """The event's organisations with their counts, filtered, in one query."""
    links = (
        EventOrganisation.objects.filter(event=event)
        .select_related("organisation")
        .annotate(
            participant_count=Count("participants", distinct=True),
            opportunity_count=Count("opportunities", distinct=True),
        )
        .order_by("review_status", "organisation__name", "pk")
    )
    if status in ReviewStatus.values:
        links = links.filter(review_status=status)
    if kind:
        links = links.filter(organisation__kind=kind)
    if query := query.strip():
        links = links.filter(
            Q(organisation__name__icontains=query)
            | Q(organisation__name_zh__icontains=query)
            | Q(organisation__region__icontains=query)
            | Q(key=query)
        )
    return links


def set_review_status(event: Event, ids: list[int], status: str, *, actor=None) -> int:
    """Publish or hide several organisations at once; returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"unknown review status {status!r}")
    with transaction.atomic():
        changing = EventOrganisation.objects.filter(event=event, pk__in=ids).exclude(
            review_status=status
        )
        changed_ids = list(changing.values_list("pk", flat=True))
        changed = EventOrganisation.objects.filter(pk__in=changed_ids).update(review_status=status)
        if status != ReviewStatus.PUBLISHED:
            # Hidden or back to review: their people leave the listings at once (an update
            # sends no save signal, so the cascade is called here).
            withdraw_unlisted(
                Participant.objects.filter(event_organisation_id__in=changed_ids).values_list(
                    "pk", flat=True
                ),
                actor=actor,
            )
    return changed


def review_counts(event: Event) -> dict[str, int]:
    counts = dict.fromkeys(ReviewStatus.values, 0)
    for row in (
        EventOrganisation.objects.filter(event=event)
        .values("review_status")
        .annotate(n=Count("pk"))
    ):
        counts[row["review_status"]] = row["n"]
    return counts


@dataclass
class ProfileForReview:
    """An organisation of the event as an organiser reads it before publishing it: the whole
    profile, every one of its people (with why someone is not listed) and opportunities."""

    link: EventOrganisation
    people: list[tuple[Participant, list[str]]] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)


def load_profile_for_review(event: Event, key: str) -> ProfileForReview | None:
    """The organisation `key` of `event` with its people and opportunities, whatever its
    review status (organisers see everything, as the visibility rule says); None if absent."""
    link = (
        EventOrganisation.objects.filter(event=event)
        .filter(visible_organisations_q(None, organiser=True))
        .select_related("organisation")
        .filter(key=key)
        .first()
    )
    if link is None:
        return None
    people = (
        Participant.objects.filter(event_organisation=link)
        .filter(visible_people_q(None, organiser=True))
        .select_related("person__user", "event_organisation")
        .order_by("person__name", "pk")
    )
    opportunities = Opportunity.objects.filter(event_organisation=link).order_by(
        "direction", "title"
    )
    return ProfileForReview(
        link=link,
        people=[(person, unlisted_reasons(person)) for person in people],
        opportunities=list(opportunities),
    )
