import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from superconnector.core.models import OutgoingMail
from superconnector.directory.models import Participant
from superconnector.meetings.domain.publication import count_affected, publish_event_schedule
from superconnector.meetings.domain.requests import cancel_request
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import MeetingRequest, SchedulePublication

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled(event):
    schedule_event(event, time_limit=5)  # r1 (p2-p1, locked 09:25) and r3 (p3-p1)
    return event


def agenda_mails():
    return {m.to: m for m in OutgoingMail.objects.filter(kind="agenda")}


def test_first_publication_mails_every_delegate_with_meetings(scheduled, organiser):
    assert count_affected(scheduled) == 3
    report = publish_event_schedule(scheduled, organiser)
    assert report.mailed == 3 and report.first
    mails = agenda_mails()
    assert set(mails) == {"amy.leung@example.com", "zhang.wei@example.com", "peter.ho@example.com"}
    amy = mails["amy.leung@example.com"]
    assert amy.subject == "Your meeting agenda for Beijing-Hong Kong Seminar"
    # The time says its zone; the date is in the reader's date format.
    assert "09:25–09:45 (Beijing time, UTC+8), table T1: Zhang Wei (Zhiyuan AI)" in amy.body
    assert "http://localhost/events/bj-hk-2026/agenda/" in amy.body
    assert "Peter Ho (Kowloon Commercial Bank)" in amy.body
    scheduled.refresh_from_db()
    assert scheduled.schedule_published_at == report.published_at
    publication = SchedulePublication.objects.get()
    assert publication.mailed == 3 and publication.published_by == organiser


def test_publishing_again_mails_only_what_changed(scheduled, organiser):
    publish_event_schedule(scheduled, organiser)
    OutgoingMail.objects.all().delete()
    assert publish_event_schedule(scheduled, organiser).mailed == 0  # nothing changed

    peter = Participant.objects.get(key="p3")
    cancel_request(MeetingRequest.objects.get(key="r3"), by=peter)
    assert count_affected(scheduled) == 2
    report = publish_event_schedule(scheduled, organiser)
    assert report.mailed == 2 and not report.first
    mails = agenda_mails()
    assert set(mails) == {"amy.leung@example.com", "peter.ho@example.com"}
    amy = mails["amy.leung@example.com"]
    assert amy.subject == "Your agenda for Beijing-Hong Kong Seminar has changed"
    assert "- Cancelled: " in amy.body and "Peter Ho (Kowloon Commercial Bank)" in amy.body
    assert "Zhang Wei (Zhiyuan AI)" in amy.body  # the full agenda follows the changes
    # Peter lists no language; his bank writes in Traditional Chinese: so is his mail.
    with translation.override("zh-hant"):
        nothing = _("You have no meetings scheduled.")
    assert nothing != "You have no meetings scheduled."
    assert nothing in mails["peter.ho@example.com"].body


def test_publish_page_shows_the_count_and_publishes(
    orga_client, scheduled, django_capture_on_commit_callbacks
):
    url = reverse("backoffice:publish", args=[scheduled.slug])
    response = orga_client.get(url)
    assert "Publishing now e-mails 3 delegates their agendas." in response.text
    confirmation = orga_client.post(url)
    assert "3 agenda mails will be sent." in confirmation.text
    assert not OutgoingMail.objects.exists()
    # Confirmed: published and mailed in the background (queued on commit; run here at once).
    with django_capture_on_commit_callbacks(execute=True):
        response = orga_client.post(url, {"confirm": "3"}, follow=True)
    assert "3 delegates are being sent their agenda" in response.text
    assert OutgoingMail.objects.filter(kind="agenda").count() == 3
    assert "3 of 3 mails sent." in orga_client.get(url).text
    scheduled.refresh_from_db()
    assert scheduled.schedule_published_at is not None


def test_the_agenda_mail_carries_the_calendar_file(
    scheduled, organiser, django_capture_on_commit_callbacks
):
    """Sent through the outbox, the mail has an .ics that parses, with the meetings in
    the event's zone; a retry would send the same file (it is stored with the mail)."""
    import icalendar
    from django.core import mail

    from superconnector.core.domain.mail import deliver

    publish_event_schedule(scheduled, organiser)
    amy = agenda_mails()["amy.leung@example.com"]
    assert deliver(amy.pk)
    [sent] = [m for m in mail.outbox if m.to == ["amy.leung@example.com"]]
    [(filename, content, content_type)] = sent.attachments
    assert filename.endswith(".ics") and content_type.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 2
    first = min(events, key=lambda e: e.decoded("dtstart"))
    start = first.decoded("dtstart")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 25, "Asia/Shanghai")
    assert "Zhang Wei" in str(first.get("summary"))


def test_the_change_mail_says_whether_the_time_or_only_the_table_moved(scheduled, organiser):
    publish_event_schedule(scheduled, organiser)
    OutgoingMail.objects.all().delete()
    # Amy's meeting with Zhang Wei keeps its time and goes to table T5; the one with Peter
    # goes to another time.
    from superconnector.meetings.models import Meeting

    r1 = Meeting.objects.get(request__key="r1")
    r1_table = r1.table
    Meeting.objects.filter(pk=r1.pk).update(table="T5")
    r3 = Meeting.objects.select_related("slot").get(request__key="r3")
    later = r3.slot.session.slots.exclude(pk=r3.slot_id).order_by("starts_at").last()
    Meeting.objects.filter(pk=r3.pk).update(slot=later)
    publish_event_schedule(scheduled, organiser)
    amy = agenda_mails()["amy.leung@example.com"].body
    assert (
        f"- Same time, another table: 8 Dec 2026 09:25 (Beijing time, UTC+8), table {r1_table} "
        "→ table T5, Zhang Wei (Zhiyuan AI)" in amy
    )
    assert "- Moved to another time: " in amy and " → 8 Dec 2026 " in amy
    assert "Peter Ho (Kowloon Commercial Bank)" in amy
