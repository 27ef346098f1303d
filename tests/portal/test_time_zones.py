"""Pages say which zone their times are in as readers name it, never as "Asia/Shanghai".

The test event (bj-hk-2026) is held in Asia/Shanghai: Beijing time, UTC+8."""

import datetime as dt

import pytest
from django.utils import timezone

from superconnector.events.models import Slot
from superconnector.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def in_chinese(client, language: str = "zh-hans"):
    client.cookies["django_language"] = language
    return client


PAGES = ["agenda", "agenda/availability"]


@pytest.mark.parametrize("page", PAGES)
def test_agenda_and_availability_say_times_are_beijing_time(amy_client, event, page):
    english = amy_client.get(f"/events/{event.slug}/{page}/")
    assert english.status_code == 200
    assert "Times are Beijing time (UTC+8)" in english.text
    assert "Asia/Shanghai" not in english.text


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("language", "name"), [("zh-hans", "北京时间"), ("zh-hant", "北京時間")])
def test_in_chinese_the_zone_is_named_in_chinese(amy_client, event, page, language, name):
    text = in_chinese(amy_client, language).get(f"/events/{event.slug}/{page}/").text
    assert name in text and "UTC+8" in text and "Asia/Shanghai" not in text


def test_the_request_deadline_names_its_zone(amy_client, event):
    event.request_deadline = timezone.now() + dt.timedelta(hours=1)
    event.save()
    text = amy_client.get(f"/events/{event.slug}/meetings/").text
    assert "(Beijing time, UTC+8)" in text and "Asia/Shanghai" not in text


def test_the_outcome_form_names_the_zone_of_the_meeting(amy_client, event):
    meeting = Meeting.objects.get(request__key="r1")
    start = timezone.now() - dt.timedelta(hours=2)
    Slot.objects.filter(pk=meeting.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=20)
    )
    event.schedule_published_at = timezone.now()
    event.save()
    text = amy_client.get(f"/events/{event.slug}/agenda/meetings/{meeting.pk}/outcome/").text
    assert "(Beijing time, UTC+8)" in text and "Asia/Shanghai" not in text


def test_the_public_event_page_names_the_zone(client, event):
    assert "Beijing time (UTC+8)" in client.get(f"/events/{event.slug}/").text
    chinese = in_chinese(client).get(f"/events/{event.slug}/").text
    assert "北京时间" in chinese and "Asia/Shanghai" not in chinese


def test_the_back_offices_sessions_page_names_the_zone(client, event, django_user_model):
    from superconnector.events.domain.access import add_organiser

    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)
    text = client.get(f"/orga/{event.slug}/sessions/").text
    assert "Beijing time (UTC+8)" in text and "Asia/Shanghai" not in text
