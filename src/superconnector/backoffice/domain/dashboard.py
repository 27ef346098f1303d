"""The organiser's figures for an event: registrations, requests, meetings, outcomes and
where the pairs come from, counted in a handful of grouped queries."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from superconnector.directory.labels import (
    normalise_region,
    normalise_sectors,
    region_label,
    sector_label,
)
from superconnector.directory.models import EventOrganisation, OrganisationKind, Participant
from superconnector.engine.regions import places_of, within
from superconnector.events.models import Event
from superconnector.meetings.models import (
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    OutcomeKind,
    RequestStatus,
)

# Where an organisation is from, for the cross-border figures (the region is free text).
MAINLAND, HONG_KONG, OVERSEAS, UNKNOWN = "mainland", "hong_kong", "overseas", "unknown"
AREA_LABELS = {
    MAINLAND: gettext_lazy("Mainland"),
    HONG_KONG: gettext_lazy("Hong Kong / Macau"),
    OVERSEAS: gettext_lazy("Overseas"),
    UNKNOWN: gettext_lazy("Unknown"),
}
# Places that say nothing about a side of the border on their own.
_AMBIGUOUS = {"world", "greater_bay_area", "taiwan"}


@dataclass
class Bar:
    label: str
    value: float
    percent: float  # of the chart's largest bar, for the bar's width
    display: str


@dataclass
class Chart:
    title: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(bar.value for bar in self.bars)


def make_chart(
    title: str, counts: dict, labels: dict | None = None, *, sort=True, limit: int = 0
) -> Chart:
    """Bars from {code: value}; codes shown by their label; largest first unless told.
    With `limit`, the smallest bars beyond it are summed into one "Other" bar (a fair has
    hundreds of regions and sectors)."""
    items = list(counts.items())
    if sort:
        items.sort(key=lambda item: (-item[1], str(item[0])))
    if limit and len(items) > limit:
        rest = sum(value for _code, value in items[limit - 1 :])
        items = [*items[: limit - 1], (_("Other"), rest)]
    top = max((value for _code, value in items), default=0) or 1
    labels = labels or {}
    return Chart(
        title,
        [
            Bar(
                str(labels.get(code, code) or _("(none)")),
                value,
                round(100 * value / top, 1),
                f"{value:,}" if isinstance(value, int) else f"{value:,.2f}",
            )
            for code, value in items
        ],
    )


@functools.lru_cache(maxsize=4096)
def area_of(region: str) -> str:
    """Mainland, Hong Kong (with Macau), overseas, or unknown, from a free-text region."""
    places = places_of([region]) if region else set()
    if any(within(p, "hong_kong") or within(p, "macau") for p in places):
        return HONG_KONG
    if any(within(p, "mainland_china") for p in places):
        return MAINLAND
    if places - _AMBIGUOUS:
        return OVERSEAS
    return UNKNOWN


@dataclass
class Dashboard:
    participants: int
    organisations: int
    checked_in: int
    absent: int
    by_kind: Chart
    by_region: Chart
    by_sector: Chart
    requests: Chart
    requests_sent: int
    meetings_scheduled: int
    meetings_held: int
    meetings_chart: Chart
    outcomes: Chart
    deal_values: Chart
    cross_border: Chart
    cross_border_meetings: int


def build_dashboard(event: Event) -> Dashboard:
    participants = Participant.objects.filter(event=event)
    people = participants.aggregate(
        total=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        absent=Count("pk", filter=Q(absent=True)),
    )
    kind_counts = {
        row["event_organisation__organisation__kind"]: row["n"]
        for row in participants.values("event_organisation__organisation__kind").annotate(
            n=Count("pk")
        )
    }
    # Counted by their stored forms (folded, so a 北京 left from before counts as Beijing)
    # and shown as words in the reader's language: 先进制造, not advanced_manufacturing.
    region_counts: Counter = Counter()
    for row in participants.values("event_organisation__organisation__region").annotate(
        n=Count("pk")
    ):
        region_counts[normalise_region(row["event_organisation__organisation__region"])] += row["n"]
    sectors: Counter = Counter()
    for row_sectors in participants.values_list(
        "event_organisation__organisation__sectors", flat=True
    ):
        sectors.update(normalise_sectors(row_sectors))

    statuses = dict.fromkeys(RequestStatus.values, 0)
    for row in MeetingRequest.objects.filter(event=event).values("status").annotate(n=Count("pk")):
        statuses[row["status"]] = row["n"]
    request_counts = {
        _("sent"): sum(statuses.values()),
        _("pending"): statuses[RequestStatus.PENDING],
        _("accepted"): statuses[RequestStatus.ACCEPTED],
        _("declined"): statuses[RequestStatus.DECLINED],
        _("expired"): statuses[RequestStatus.EXPIRED],
        _("cancelled"): statuses[RequestStatus.CANCELLED],
    }

    meetings = Meeting.objects.filter(event=event, request__status=RequestStatus.ACCEPTED)
    reported = [k for k in OutcomeKind.values if k != OutcomeKind.NO_SHOW]
    scheduled = meetings.count()
    # Held: both people checked in, or one of them reported what came of it; a reported
    # no-show overrides both.
    held = (
        meetings.filter(
            Q(
                request__sender__checked_in_at__isnull=False,
                request__recipient__checked_in_at__isnull=False,
            )
            | Q(outcomes__kind__in=reported)
        )
        .exclude(outcomes__kind=OutcomeKind.NO_SHOW)
        .values("pk")
        .distinct()
        .count()
    )

    outcomes = MeetingOutcome.objects.filter(meeting__event=event)
    outcome_counts = {
        row["kind"]: row["n"] for row in outcomes.values("kind").annotate(n=Count("pk"))
    }
    # Both sides may report the same deal: count each meeting's largest figure once.
    per_meeting: dict[tuple[int, str], Decimal] = {}
    for meeting_id, currency, value in outcomes.filter(value__isnull=False).values_list(
        "meeting_id", "currency", "value"
    ):
        key = (meeting_id, currency or "?")
        per_meeting[key] = max(per_meeting.get(key, Decimal(0)), value or Decimal(0))
    values: dict[str, float] = defaultdict(float)
    for (_meeting, currency), value in per_meeting.items():
        values[currency] += float(value)

    pairs: Counter = Counter()
    for a, b in meetings.values_list(
        "request__sender_organisation__organisation__region",
        "request__recipient_organisation__organisation__region",
    ):
        first, second = sorted((area_of(a or ""), area_of(b or "")), key=list(AREA_LABELS).index)
        pairs[(first, second)] += 1
    pair_labels = {pair: f"{AREA_LABELS[pair[0]]} ↔ {AREA_LABELS[pair[1]]}" for pair in pairs}
    crossing = sum(n for (x, y), n in pairs.items() if x != y and UNKNOWN not in (x, y))

    return Dashboard(
        participants=people["total"],
        organisations=EventOrganisation.objects.filter(event=event).count(),
        checked_in=people["checked_in"],
        absent=people["absent"],
        by_kind=make_chart(
            _("Registrations by organisation kind"), kind_counts, dict(OrganisationKind.choices)
        ),
        by_region=make_chart(
            _("Registrations by region"),
            dict(region_counts),
            {region: region_label(region) for region in region_counts if region},
            limit=15,
        ),
        by_sector=make_chart(
            _("Registrations by sector"),
            dict(sectors),
            {code: sector_label(code) for code in sectors},
            limit=15,
        ),
        requests=make_chart(_("Meeting requests"), request_counts, sort=False),
        requests_sent=request_counts[_("sent")],
        meetings_scheduled=scheduled,
        meetings_held=held,
        meetings_chart=make_chart(
            _("Meetings"), {_("scheduled"): scheduled, _("held"): held}, sort=False
        ),
        outcomes=make_chart(_("Outcomes"), outcome_counts, dict(OutcomeKind.choices)),
        deal_values=make_chart(_("Deal values reported"), dict(values)),
        cross_border=make_chart(_("Meeting pairs by origin"), dict(pairs), pair_labels),
        cross_border_meetings=crossing,
    )
