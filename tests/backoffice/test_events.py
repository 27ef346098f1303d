import datetime as dt

import pytest
from django.urls import reverse

from superconnector.events.domain.access import ALL_RIGHTS, add_organiser
from superconnector.events.models import Event, MeetingSession, Slot
from superconnector.exchange.importer import import_document

pytestmark = pytest.mark.django_db


def test_organiser_creates_an_event_and_becomes_its_organiser(orga_client, organiser):
    # Creating events is a right staff grant (tests/security/test_event_creation.py).
    organiser.can_create_events = True
    organiser.save()
    response = orga_client.post(
        reverse("backoffice:event-create"),
        {
            "slug": "sz-expo",
            "name": "Shenzhen Expo",
            "timezone": "Asia/Shanghai",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-02",
            "request_deadline": "2027-02-25T18:00",
            "max_pending_requests": 5,
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(slug="sz-expo")
    assert [team.rights for team in event.teams.filter(members=organiser)] == [ALL_RIGHTS]
    assert event.max_pending_requests == 5
    # The deadline is read in the event's time zone, not the server's.
    assert event.request_deadline == dt.datetime(2027, 2, 25, 10, 0, tzinfo=dt.UTC)


def test_edit_refuses_an_end_before_the_start(orga_client, event):
    response = orga_client.post(
        reverse("backoffice:event-edit", args=[event.slug]),
        {
            "name": event.name,
            "timezone": event.timezone,
            "starts_on": "2026-12-08",
            "ends_on": "2026-12-01",
            "max_pending_requests": 20,
        },
    )
    assert response.status_code == 200
    assert "The event cannot end before it starts." in response.text
    event.refresh_from_db()
    assert event.ends_on == dt.date(2026, 12, 8)


def test_adding_a_session_generates_its_slots(orga_client, event):
    response = orga_client.post(
        reverse("backoffice:sessions", args=[event.slug]),
        {
            "key": "eve",
            "date": "2026-12-08",
            "start": "17:00",
            "end": "18:00",
            "slot_minutes": 15,
            "gap_minutes": 5,
            "tables": 4,
        },
    )
    assert response.status_code == 302
    session = MeetingSession.objects.get(event=event, key="eve")
    starts = [s.starts_at.astimezone(event.tzinfo).strftime("%H:%M") for s in session.slots.all()]
    assert starts == ["17:00", "17:20", "17:40"]


def test_editing_a_session_regenerates_slots(orga_client, event):
    session = MeetingSession.objects.get(event=event, key="pm")
    assert session.slots.count() == 6
    response = orga_client.post(
        reverse("backoffice:session-edit", args=[event.slug, session.pk]),
        {
            "key": "pm",
            "date": "2026-12-08",
            "start": "14:00",
            "end": "15:00",
            "slot_minutes": 30,
            "gap_minutes": 0,
            "tables": 2,
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(session=session).count() == 2


def test_a_session_holding_meetings_is_not_shrunk_or_deleted(orga_client, event):
    session = MeetingSession.objects.get(event=event, key="am")  # holds the locked r1 at 09:25
    response = orga_client.post(
        reverse("backoffice:session-edit", args=[event.slug, session.pk]),
        {
            "key": "am",
            "date": "2026-12-08",
            "start": "09:00",
            "end": "09:20",
            "slot_minutes": 20,
            "gap_minutes": 5,
            "tables": 10,
        },
    )
    assert response.status_code == 200 and "still hold meetings" in response.text
    session.refresh_from_db()
    assert session.end == dt.time(12, 0) and session.slots.count() == 7
    orga_client.post(reverse("backoffice:session-delete", args=[event.slug, session.pk]))
    assert MeetingSession.objects.filter(pk=session.pk).exists()


def test_duplicate_session_key_is_refused(orga_client, event):
    response = orga_client.post(
        reverse("backoffice:sessions", args=[event.slug]),
        {
            "key": "am",
            "date": "2026-12-08",
            "start": "17:00",
            "end": "18:00",
            "slot_minutes": 15,
            "gap_minutes": 0,
            "tables": 4,
        },
    )
    assert response.status_code == 200
    assert "Another session of this event has this key." in response.text


def test_moving_a_session_onto_anothers_meetings_is_refused_in_words(
    document, django_user_model, client
):
    """p1 meets p2 at 09:25 (am) and p3 at 14:00 (pm): pm may not move to 09:25."""
    document["meetings"].append(
        {"request": "r3", "date": "2026-12-08", "start": "14:00", "end": "14:20", "table": "T1"}
    )
    import_document(document)
    event = Event.objects.get(slug=document["event"]["slug"])
    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)
    session = MeetingSession.objects.get(event=event, key="pm")
    form = {"key": "pm", "date": "2026-12-08", "end": "11:25", "slot_minutes": 20, "tables": 2}
    url = reverse("backoffice:session-edit", args=[event.slug, session.pk])
    response = client.post(url, {**form, "start": "09:25", "gap_minutes": 0})
    assert response.status_code == 200 and "double-book" in response.text
    session.refresh_from_db()
    assert session.start == dt.time(14, 0)
    assert client.post(url, {**form, "start": "10:30", "gap_minutes": 0}).status_code == 302


SESSION_FORM = {
    "key": "eve",
    "date": "2026-12-08",
    "start": "17:00",
    "end": "18:00",
    "slot_minutes": 15,
    "gap_minutes": 0,
    "tables": 4,
}


def test_a_session_outside_the_events_dates_is_refused_at_its_date(orga_client, event):
    """Finding 10: a session could be added on a day the event does not run."""
    response = orga_client.post(
        reverse("backoffice:sessions", args=[event.slug]), {**SESSION_FORM, "date": "2026-12-09"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "2026-12-09 is outside the event's dates (2026-12-08 to 2026-12-08)."
    ]
    assert not MeetingSession.objects.filter(event=event, key="eve").exists()
    # Moving an existing session out of the event is refused the same way.
    session = MeetingSession.objects.get(event=event, key="pm")
    moved = orga_client.post(
        reverse("backoffice:session-edit", args=[event.slug, session.pk]),
        {**SESSION_FORM, "key": "pm", "date": "2026-12-07"},
    )
    assert moved.status_code == 200 and "date" in moved.context["form"].errors
    session.refresh_from_db()
    assert session.date == dt.date(2026, 12, 8)


def test_event_dates_that_would_leave_a_session_outside_are_refused(orga_client, event):
    form = {
        "name": event.name,
        "timezone": event.timezone,
        "starts_on": "2026-12-09",
        "ends_on": "2026-12-10",
        "max_pending_requests": 20,
    }
    response = orga_client.post(reverse("backoffice:event-edit", args=[event.slug]), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["starts_on"]
    assert "am (2026-12-08), pm (2026-12-08)" in errors["starts_on"][0]
    event.refresh_from_db()
    assert event.starts_on == dt.date(2026, 12, 8)
    shorter = {**form, "starts_on": "2026-12-01", "ends_on": "2026-12-07"}
    response = orga_client.post(reverse("backoffice:event-edit", args=[event.slug]), shorter)
    assert list(response.context["form"].errors) == ["ends_on"]
    # Dates that still hold every session are saved.
    wider = {**form, "starts_on": "2026-12-07", "ends_on": "2026-12-09"}
    assert (
        orga_client.post(reverse("backoffice:event-edit", args=[event.slug]), wider).status_code
        == 302
    )


def test_the_admin_refuses_a_session_outside_the_events_dates_too(admin_client, event):
    response = admin_client.post(
        "/admin/events/meetingsession/add/",
        {**SESSION_FORM, "event": event.pk, "date": "2026-12-31"},
    )
    assert response.status_code == 200
    assert "outside the event's dates" in response.context["adminform"].form.errors["date"][0]
    assert not MeetingSession.objects.filter(key="eve").exists()


def test_settings_that_leave_the_dates_alone_save_beside_an_old_stray_session(orga_client, event):
    """A session put outside the dates before the rule existed does not block the deadline."""
    MeetingSession.objects.filter(event=event, key="pm").update(date=dt.date(2026, 12, 20))
    form = {
        "name": event.name,
        "timezone": event.timezone,
        "starts_on": "2026-12-08",
        "ends_on": "2026-12-08",
        "request_deadline": "2026-12-07T18:00",
        "max_pending_requests": 20,
    }
    response = orga_client.post(reverse("backoffice:event-edit", args=[event.slug]), form)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.request_deadline is not None
