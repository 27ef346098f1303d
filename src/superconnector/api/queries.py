"""What each caller may read of an event, as querysets with their related rows loaded.

Every function takes the caller's EventAccess, so that scoping to the event and to the
caller's rights happens here, once, and not in each endpoint.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from superconnector.api.auth import EventAccess
from superconnector.api.errors import field_error
from superconnector.api.schemas import (
    MeetingFilters,
    MeetingRequestFilters,
    OpportunityFilters,
    OrganisationFilters,
    ParticipantFilters,
    SearchFilters,
)
from superconnector.core.domain.ordering import natural_key
from superconnector.directory.labels import normalise_region
from superconnector.directory.models import EventOrganisation, Opportunity, Participant
from superconnector.matchmaking.domain.matching import recommendations_document
from superconnector.matchmaking.domain.reasons import localise_reasons
from superconnector.matchmaking.domain.search import DirectoryFilters, search_directory
from superconnector.matchmaking.models import OpportunityMatch, OrganisationMatch
from superconnector.meetings.domain.people import people_entries
from superconnector.meetings.models import Meeting, MeetingRequest, RequestStatus, SchedulingRun

PARTICIPANT_RELATED = ("person", "event_organisation__organisation")


def _words(q: str | None) -> list[str]:
    return (q or "").split()


# --- directory -------------------------------------------------------------------------------


def organisations_for(
    access: EventAccess, filters: OrganisationFilters | None = None
) -> QuerySet[EventOrganisation]:
    rows = (
        EventOrganisation.objects.filter(event=access.event)
        .filter(access.visible_organisations_q())
        .select_related("organisation")
        .order_by("key")
    )
    if filters is None:
        return rows
    if filters.kind:
        rows = rows.filter(organisation__kind=filters.kind)
    if filters.region:
        # Any name of a known place finds it as stored: 北京 finds Beijing.
        rows = rows.filter(organisation__region__iexact=normalise_region(filters.region))
    for word in _words(filters.q):
        rows = rows.filter(
            Q(organisation__name__icontains=word)
            | Q(organisation__name_zh__icontains=word)
            | Q(organisation__description__icontains=word)
        )
    return rows


def participants_for(
    access: EventAccess, filters: ParticipantFilters | None = None
) -> QuerySet[Participant]:
    rows = (
        Participant.objects.filter(event=access.event)
        .filter(access.visible_people_q())
        .select_related(*PARTICIPANT_RELATED)
        .order_by("key")
    )
    if filters is None:
        return rows
    if filters.organisation:
        rows = rows.filter(event_organisation__key=filters.organisation)
    if filters.role:
        rows = rows.filter(role=filters.role)
    for word in _words(filters.q):
        rows = rows.filter(Q(person__name__icontains=word) | Q(person__title__icontains=word))
    return rows


def opportunities_for(
    access: EventAccess, filters: OpportunityFilters | None = None
) -> QuerySet[Opportunity]:
    rows = (
        Opportunity.objects.filter(event=access.event)
        .filter(access.visible_opportunities_q())
        .select_related("event_organisation__organisation")
        .order_by("key")
    )
    if filters is None:
        return rows
    for name in ("direction", "category", "language"):
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{name: value})
    if filters.organisation:
        rows = rows.filter(event_organisation__key=filters.organisation)
    for word in _words(filters.q):
        rows = rows.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return rows


def participant_by_key(access: EventAccess, key: str) -> Participant:
    return get_object_or_404(participants_for(access), key=key)


# --- search ----------------------------------------------------------------------------------


def search_for(access: EventAccess, show: str, filters: SearchFilters) -> dict:
    """One page of the portal's directory search, as the calling delegate sees it.

    The search and who may be found are the domain's (matchmaking/domain/search.py, which
    reads the visibility rule), so the API and the portal give the same results in the same
    order. Organisers who are not delegates get 403: the search answers what a delegate
    may find, and organisers have the unfiltered lists.
    """
    viewer = access.require_participant()
    wanted = DirectoryFilters(
        show=show,
        **{
            name: str(getattr(filters, name, None) or "").strip()
            for name in ("q", "kind", "region", "sector", "category", "direction", "language")
        },
    )
    page = search_directory(
        access.event, viewer, wanted, page=filters.page, limit=filters.page_size
    )
    if page.number != filters.page:  # the domain shows the last page instead; say so here
        raise field_error(
            ["query", "page"],
            _(
                "There is no page %(page)s: the last is page %(last)s (%(total)s results, %(size)s a page)."
            )
            % {
                "page": filters.page,
                "last": page.page_count,
                "total": page.total,
                "size": page.page_size,
            },
            "page_out_of_range",
        )
    return {
        "total": page.total,
        "page": page.number,
        "page_size": page.page_size,
        "page_count": page.page_count,
        "items": page.items,
    }


# --- recommendations -------------------------------------------------------------------------


def recommendations_for(access: EventAccess, top: int) -> dict:
    """Organisers get the whole event's document; a delegate gets their organisation's part,
    with recommendations of profiles they may not see left out."""
    if access.organiser:
        # Without the people lists: they are read per delegate (a few queries each), too
        # many for one answer at a fair of thousands. `recommend --json` prints them all.
        return {**recommendations_document(access.event, top_k=top), "participants": {}}
    participant = access.require_participant()
    own = participant.event_organisation
    visible_opportunities = set(opportunities_for(access).values_list("key", flat=True))
    visible_organisations = set(organisations_for(access).values_list("key", flat=True))
    document: dict[str, dict[str, list]] = {"needs": {}, "offers": {}, "organisations": {}}
    for opportunity in Opportunity.objects.filter(event_organisation=own).order_by("key"):
        side = "needs" if opportunity.direction == "need" else "offers"
        document[side][opportunity.key] = []
    matches = OpportunityMatch.objects.filter(event=access.event).select_related("need", "offer")
    for row in matches.filter(need__event_organisation=own, rank_for_need__lte=top).order_by(
        "need__key", "rank_for_need"
    ):
        if row.offer.key in visible_opportunities:
            document["needs"][row.need.key].append(
                {
                    "opportunity": row.offer.key,
                    "score": row.score,
                    "reasons": localise_reasons(row.reasons_for_need),
                }
            )
    for row in matches.filter(offer__event_organisation=own, rank_for_offer__lte=top).order_by(
        "offer__key", "rank_for_offer"
    ):
        if row.need.key in visible_opportunities:
            document["offers"][row.offer.key].append(
                {
                    "opportunity": row.need.key,
                    "score": row.score,
                    "reasons": localise_reasons(row.reasons_for_offer),
                }
            )
    document["organisations"][own.key] = [
        {
            "organisation": row.partner.key,
            "score": row.score,
            "reasons": localise_reasons(row.reasons),
        }
        for row in OrganisationMatch.objects.filter(organisation=own, rank__lte=top)
        .select_related("partner")
        .order_by("rank")
        if row.partner.key in visible_organisations
    ]
    document["participants"] = {participant.key: people_entries(participant, top)}
    return document


# --- meeting requests ------------------------------------------------------------------------


def requests_for(
    access: EventAccess, filters: MeetingRequestFilters | None = None
) -> QuerySet[MeetingRequest]:
    """Organisers see every request of the event; a delegate those they sent or received."""
    rows = MeetingRequest.objects.filter(event=access.event).select_related(
        *(f"{side}__{path}" for side in ("sender", "recipient") for path in PARTICIPANT_RELATED)
    )
    if not access.organiser:
        me = access.require_participant()
        # Their own requests, less those whose other side they may no longer see (left the
        # listings: the request was closed then, see meetings/domain/unlisting.py).
        rows = rows.filter(
            (Q(sender=me) & access.visible_people_q("recipient__"))
            | (Q(recipient=me) & access.visible_people_q("sender__"))
        )
    rows = rows.order_by("-created_at", "key")
    if filters is None:
        return rows
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.direction:
        me = access.require_participant()
        rows = rows.filter(**{"sender" if filters.direction == "sent" else "recipient": me})
    if filters.participant:
        rows = rows.filter(
            Q(sender__key=filters.participant) | Q(recipient__key=filters.participant)
        )
    return rows


def request_by_key(access: EventAccess, key: str) -> MeetingRequest:
    return get_object_or_404(requests_for(access), key=key)


# --- meetings and the schedule ---------------------------------------------------------------


def meetings_for(access: EventAccess, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    """Organisers see every scheduled meeting; a delegate their own, once the schedule is
    published (before that it may still change, and nobody has been told)."""
    rows = (
        Meeting.objects.filter(event=access.event, request__status=RequestStatus.ACCEPTED)
        .select_related(
            "event",
            "slot__session",
            *(
                f"request__{side}__{path}"
                for side in ("sender", "recipient")
                for path in PARTICIPANT_RELATED
            ),
        )
        .order_by("slot__starts_at", "table")
    )
    if not access.organiser:
        me = access.require_participant()
        if access.event.schedule_published_at is None:
            return rows.none()
        # A meeting (one that already began: later ones were cancelled) with someone who
        # has since left the listings is not shown to the other side.
        rows = rows.filter(seats__participant=me).filter(
            (Q(request__sender=me) & access.visible_people_q("request__recipient__"))
            | (Q(request__recipient=me) & access.visible_people_q("request__sender__"))
        )
    if filters is None:
        return rows
    if filters.participant:
        rows = rows.filter(seats__participant__key=filters.participant)
    if filters.date:
        rows = rows.filter(slot__session__date=filters.date)
    return rows


def stored_schedule_document(access: EventAccess) -> dict:
    """The stored schedule in the `schedule --json` shape, without running the solver.

    The bound, gaps and solver come from the last finished scheduling run; the counts are
    live, so meetings cancelled since then no longer count.
    """
    event = access.event
    tz = event.tzinfo
    meetings = []
    placed = set()
    stored = Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
    # In the order of a fresh run's document: time, then table in natural order (T2, T10).
    for meeting in sorted(
        stored.select_related("slot", "request__sender", "request__recipient"),
        key=lambda m: (m.slot.starts_at, natural_key(m.table), m.request.key),
    ):
        placed.add(meeting.request_id)
        meetings.append(
            {
                "request": meeting.request.key,
                "participants": [meeting.request.sender.key, meeting.request.recipient.key],
                "date": meeting.slot.starts_at.astimezone(tz).date().isoformat(),
                "start": meeting.slot.starts_at.astimezone(tz).strftime("%H:%M"),
                "end": meeting.slot.ends_at.astimezone(tz).strftime("%H:%M"),
                "table": meeting.table,
            }
        )
    accepted = list(
        MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
        .order_by("key")
        .values_list("pk", "key")
    )
    run = SchedulingRun.objects.filter(event=event, status=SchedulingRun.Status.DONE).first()
    stats = run.stats if run else {}
    return {
        "meetings": meetings,
        "unscheduled": [
            {"request": key, "reason": _("not placed in the stored schedule")}
            for pk, key in accepted
            if pk not in placed
        ],
        "stats": {
            "requested": len(accepted),
            "scheduled": len(meetings),
            "upper_bound": stats.get("upper_bound"),
            "idle_gaps": stats.get("idle_gaps"),
            "solver": stats.get("solver"),
            "optimal": bool(stats.get("optimal")),
            "seconds": stats.get("seconds"),
        },
        "published_at": event.schedule_published_at,
    }
