"""Request expiry raced on PostgreSQL: the task, the command and page views may all expire
the same event's requests at once; each request expires once and both sides get one mail."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.core.models import OutgoingMail
from superconnector.meetings.domain.expiry import expire_overdue_requests
from superconnector.meetings.models import MeetingRequest, MeetingRequestChange
from tests.factories import EventFactory, MeetingRequestFactory
from tests.trust.conftest import postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_ten_expiries_at_once_expire_each_request_once(many_connections):
    event = EventFactory(request_deadline=timezone.now() - dt.timedelta(seconds=1))
    for _ in range(30):
        MeetingRequestFactory(event=event, status="pending")

    results = race([lambda: expire_overdue_requests(event) for _ in range(10)])

    assert all(kind == "ok" for kind, _value in results), results
    assert sum(value for _kind, value in results) == 30
    assert MeetingRequest.objects.filter(status="expired").count() == 30
    assert MeetingRequestChange.objects.filter(to_status="expired").count() == 30
    assert OutgoingMail.objects.filter(kind="request_expired").count() == 60
