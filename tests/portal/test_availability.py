"""The delegate's availability page (rules: tests/meetings/test_availability.py)."""

import pytest
from django.utils import timezone

from superconnector.meetings.domain.availability import availability_of
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return f"/events/{event.slug}/agenda/availability/"


def test_page_lists_sessions_ticked_and_is_linked_from_the_agenda(amy_client, event):
    response = amy_client.get(url(event))
    assert response.status_code == 200
    sessions = list(event.sessions.all())
    assert sorted(response.context["form"]["sessions"].initial) == sorted(s.pk for s in sessions)
    assert response.text.count('type="checkbox" name="sessions"') == len(sessions)
    assert url(event) in amy_client.get(f"/events/{event.slug}/agenda/").text


def test_post_saves_sessions_and_a_blocked_time_then_removes_it(amy_client, event):
    amy = participant(event, "p1")
    sessions = list(event.sessions.all())
    keep, day = sessions[-1], sessions[-1].date
    response = amy_client.post(
        url(event),
        {"sessions": [keep.pk], "day": day.isoformat(), "block_from": "12:00", "block_to": "13:00"},
    )
    assert response.status_code == 302, response.context["form"].errors
    state = availability_of(amy)
    assert state.session_ids == {keep.pk}
    (block,) = state.blocks
    assert block.starts_at.astimezone(event.tzinfo).strftime("%H:%M") == "12:00"
    amy_client.post(url(event), {"sessions": [keep.pk], "remove": [0]})
    assert availability_of(amy).blocks == ()


def test_post_with_an_invalid_block_says_why(amy_client, event):
    day = event.sessions.first().date
    response = amy_client.post(
        url(event),
        {
            "sessions": [s.pk for s in event.sessions.all()],
            "day": day.isoformat(),
            "block_from": "13:00",
            "block_to": "12:00",
        },
    )
    assert response.status_code == 400
    assert "A blocked time must end after it starts." in response.text
    assert availability_of(participant(event, "p1")).blocks == ()


def test_published_schedule_conflict_is_shown_not_saved(amy_client, event):
    event.schedule_published_at = timezone.now()
    event.save()
    meeting_session = event.meetings.get(request__key="r1").slot.session
    others = [s.pk for s in event.sessions.all() if s.pk != meeting_session.pk]
    response = amy_client.post(url(event), {"sessions": others})
    assert response.status_code == 400
    assert "You already have a meeting scheduled at" in response.text
    assert "The schedule is published" in response.text
    assert meeting_session.pk in availability_of(participant(event, "p1")).session_ids


def test_another_events_delegate_gets_404(outsider_client, event):
    assert outsider_client.get(url(event)).status_code == 404
    assert outsider_client.post(url(event), {"sessions": []}).status_code == 404
