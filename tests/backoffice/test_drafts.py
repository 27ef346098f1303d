"""The back office's draft of a re-plan after publication: counts, the per-person list,
apply and discard, and nobody else's."""

import pytest
from django.urls import reverse

from superconnector.directory.models import Participant
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import AuditEntry
from superconnector.meetings.domain.drafts import save_draft
from superconnector.meetings.domain.publication import publish_event_schedule
from superconnector.meetings.domain.requests import cancel_request
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting, MeetingRequest, ScheduleDraft
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(event, organiser):
    schedule_event(event, time_limit=5)  # r1 (Amy-Zhang Wei, locked) and r3 (Peter-Amy)
    publish_event_schedule(event, organiser)
    event.refresh_from_db()
    computed = schedule_event(event, time_limit=5, store=False, absent=frozenset({"p3"}))
    return save_draft(event, computed, frozenset({"p3"}))


def page(client, draft):
    return client.get(reverse("backoffice:scheduling-draft", args=[draft.event.slug, draft.pk]))


def decide(client, draft, action):
    url = reverse("backoffice:scheduling-draft-decide", args=[draft.event.slug, draft.pk])
    return client.post(url, {"action": action}, follow=True)


def test_the_draft_page_shows_counts_and_each_persons_change(orga_client, draft):
    response = page(orga_client, draft)
    assert response.status_code == 200
    text = response.text
    assert "announced meetings removed" in text and "moved to another table only" in text
    assert "Peter Ho" in text and "Amy Leung" in text
    assert "was at " in text and ": removed" in text
    assert 'value="apply"' in text and 'value="discard"' in text
    # Viewing the names is in the audit log, as every page of personal data.
    assert AuditEntry.objects.filter(action="view", subject="schedule draft").exists()


def test_the_runs_page_points_to_the_waiting_draft(orga_client, draft):
    response = orga_client.get(reverse("backoffice:runs", args=[draft.event.slug]))
    assert reverse("backoffice:scheduling-draft", args=[draft.event.slug, draft.pk]) in (
        response.text
    )
    assert "kept as a draft for you to review" in response.text


def test_apply_writes_the_schedule(orga_client, draft):
    assert Meeting.objects.filter(request__key="r3").exists()
    response = decide(orga_client, draft, "apply")
    assert "The draft is applied" in response.text
    assert not Meeting.objects.filter(request__key="r3").exists()
    draft.refresh_from_db()
    assert draft.status == "applied"


def test_discard_keeps_the_schedule(orga_client, draft):
    response = decide(orga_client, draft, "discard")
    assert "The draft is discarded" in response.text
    assert Meeting.objects.filter(request__key="r3").exists()
    draft.refresh_from_db()
    assert draft.status == "discarded"
    assert 'value="apply"' not in page(orga_client, draft).text


def test_a_stale_draft_says_so_and_is_refused(orga_client, draft):
    cancel_request(MeetingRequest.objects.get(key="r1"), by=Participant.objects.get(key="p2"))
    text = page(orga_client, draft).text
    assert "out of date" in text and "disabled" in text
    response = decide(orga_client, draft, "apply")
    assert "This draft is out of date" in response.text
    assert Meeting.objects.filter(request__key="r3").exists()
    draft.refresh_from_db()
    assert draft.status == "pending"


def test_another_events_organiser_can_neither_see_nor_apply_it(client, draft, django_user_model):
    rival = django_user_model.objects.create_user("rival@example.com", "a-long-password")
    theirs = EventFactory()
    add_organiser(theirs, rival)
    client.force_login(rival)
    # Through the draft's own event, and through their event with the draft's number.
    for slug in (draft.event.slug, theirs.slug):
        url = reverse("backoffice:scheduling-draft", args=[slug, draft.pk])
        assert client.get(url).status_code == 404
        decide_url = reverse("backoffice:scheduling-draft-decide", args=[slug, draft.pk])
        assert client.post(decide_url, {"action": "apply"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "pending"
    assert Meeting.objects.filter(request__key="r3").exists()
    assert ScheduleDraft.objects.count() == 1


def test_a_run_after_publication_shows_its_draft_not_its_schedule(orga_client, event, organiser):
    from superconnector.meetings.domain.scheduling import run_scheduling
    from superconnector.meetings.models import SchedulingRun

    schedule_event(event, time_limit=5)
    publish_event_schedule(event, organiser)
    Participant.objects.filter(key="p3").update(absent=True)  # marked at the desk
    run = run_scheduling(SchedulingRun.objects.create(event=event, time_limit=5))
    draft = ScheduleDraft.objects.get(run=run)
    assert draft.counts["removed"] == 1 and draft.absent == ["p3"]
    assert Meeting.objects.filter(request__key="r3").exists()  # not written
    url = reverse("backoffice:scheduling-progress", args=[event.slug, run.pk])
    text = orga_client.get(url).text
    assert "Kept as a draft, not applied" in text and "1 announced removed" in text
    assert reverse("backoffice:scheduling-draft", args=[event.slug, draft.pk]) in text
