import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from superconnector.backoffice.domain.dashboard import (
    HONG_KONG,
    MAINLAND,
    OVERSEAS,
    UNKNOWN,
    area_of,
    build_dashboard,
)
from superconnector.directory.models import Participant
from superconnector.meetings.domain.expiry import expire_overdue_requests
from superconnector.meetings.models import Meeting, MeetingOutcome

pytestmark = pytest.mark.django_db


def bars(chart) -> dict:
    return {bar.label: bar.value for bar in chart.bars}


def test_areas_from_free_text_regions():
    assert area_of("Hong Kong") == HONG_KONG and area_of("香港") == HONG_KONG
    assert area_of("Beijing") == MAINLAND and area_of("深圳") == MAINLAND
    assert area_of("Singapore") == OVERSEAS and area_of("Rotterdam, Netherlands") == OVERSEAS
    assert area_of("") == UNKNOWN and area_of("Greater Bay Area") == UNKNOWN


def test_dashboard_figures(event):
    now = timezone.now()
    Participant.objects.filter(key__in=["p1", "p2"]).update(checked_in_at=now)
    event.request_deadline = now - dt.timedelta(hours=1)
    event.save()
    assert expire_overdue_requests(event) == 1  # r2
    meeting = Meeting.objects.get(request__key="r1")
    for key, value in (("p1", "1000"), ("p2", "800")):
        MeetingOutcome.objects.create(
            meeting=meeting,
            reported_by=Participant.objects.get(key=key),
            kind="agreement",
            value=Decimal(value),
            currency="HKD",
        )

    d = build_dashboard(event)
    assert (d.participants, d.organisations, d.checked_in, d.absent) == (4, 3, 2, 0)
    assert bars(d.by_kind) == {
        "Enterprise": 2,
        "Professional service provider": 1,
        "Bank or financial institution": 1,
    }
    assert bars(d.by_region) == {"Hong Kong": 2, "Beijing": 2}
    # Sectors as words, not codes (directory/labels.py).
    assert bars(d.by_sector) == {
        "Artificial intelligence": 2,
        "Legal services": 1,
        "Intellectual property": 1,
        "Finance": 1,
    }
    assert bars(d.requests) == {
        "sent": 3,
        "pending": 0,
        "accepted": 2,
        "declined": 0,
        "expired": 1,
        "cancelled": 0,
    }
    assert (d.meetings_scheduled, d.meetings_held) == (1, 1)
    assert bars(d.outcomes) == {"Agreement signed": 2}
    assert bars(d.deal_values) == {"HKD": 1000.0}  # both sides reported one deal
    assert bars(d.cross_border) == {"Mainland ↔ Hong Kong / Macau": 1}
    assert d.cross_border_meetings == 1
    assert d.by_kind.bars[0].percent == 100.0 and d.by_kind.bars[1].percent == 50.0


def test_a_reported_no_show_is_not_held(event):
    Participant.objects.update(checked_in_at=timezone.now())
    meeting = Meeting.objects.get(request__key="r1")
    MeetingOutcome.objects.create(
        meeting=meeting, reported_by=Participant.objects.get(key="p1"), kind="no_show"
    )
    assert build_dashboard(event).meetings_held == 0


def test_dashboard_page_draws_bars_without_inline_styles(
    orga_client, event, django_assert_max_num_queries
):
    from tests.factories import ParticipantFactory

    ParticipantFactory.create_batch(20, event=event)
    with django_assert_max_num_queries(20):
        response = orga_client.get(reverse("backoffice:dashboard", args=[event.slug]))
    assert response.status_code == 200
    assert 'class="bar-chart"' in response.text and '<rect width="100.0"' in response.text
    assert "style=" not in response.text.split("<main ")[1]
    assert "Registrations by organisation kind" in response.text


def test_long_charts_fold_the_tail_into_other():
    from superconnector.backoffice.domain.dashboard import make_chart

    chart = make_chart("Regions", {f"r{n:02}": 100 - n for n in range(30)}, limit=5)
    assert [bar.label for bar in chart.bars] == ["r00", "r01", "r02", "r03", "Other"]
    assert chart.bars[-1].value == sum(100 - n for n in range(4, 30))
    assert chart.total == sum(100 - n for n in range(30))


def test_the_dashboard_counts_requests_expired_at_the_deadline_before_any_task_ran(
    orga_client, event
):
    """Finding 5: after the deadline the dashboard counted the unanswered request as still
    pending and 0 expired, because nothing ever expired it."""
    event.request_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    response = orga_client.get(reverse("backoffice:dashboard", args=[event.slug]))
    counts = bars(response.context["d"].requests)
    assert (counts["pending"], counts["expired"], counts["cancelled"]) == (0, 1, 0)
