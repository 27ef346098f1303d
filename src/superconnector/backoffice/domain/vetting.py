"""Vetting profiles: which organisations of an event other delegates may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from superconnector.directory.models import EventOrganisation, ReviewStatus
from superconnector.events.models import Event


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


def set_review_status(event: Event, ids: list[int], status: str) -> int:
    """Publish or hide several organisations at once; returns how many changed."""
    if status not in ReviewStatus.values:
        raise ValueError(f"unknown review status {status!r}")
    return (
        EventOrganisation.objects.filter(event=event, pk__in=ids)
        .exclude(review_status=status)
        .update(review_status=status)
    )


def review_counts(event: Event) -> dict[str, int]:
    counts = dict.fromkeys(ReviewStatus.values, 0)
    for row in (
        EventOrganisation.objects.filter(event=event)
        .values("review_status")
        .annotate(n=Count("pk"))
    ):
        counts[row["review_status"]] = row["n"]
    return counts
