"""The draft of a re-plan after publication, in a browser at desktop and phone sizes: the
organiser finds it from the runs page, reads the counts and each person's change, and
applies or discards it."""

import dataclasses

import pytest
from django.contrib.auth import get_user_model

from superconnector.engine.scheduling import Placement
from superconnector.engine.scheduling.solution import changes_by_person
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.domain.drafts import save_draft
from superconnector.meetings.domain.publication import publish_event_schedule
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting
from tests.e2e.conftest import check_fits_the_window, save_screenshot, sign_in
from tests.scenario import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def draft(document):
    document["meeting_requests"].append(
        {"key": "r4", "from": "p4", "to": "p1", "status": "accepted"}
    )
    import_document(document)
    event = Event.objects.get()
    user = get_user_model().objects.create_user("orga@example.com", PASSWORD)
    add_organiser(event, user)
    schedule_event(event, time_limit=5)
    publish_event_schedule(event, user)
    event.refresh_from_db()
    # Peter Ho (p3) is absent: his meeting goes; Li Na's meeting with Amy (r4) is put at
    # another table at the same time, so that the page shows both kinds of change.
    computed = schedule_event(event, time_limit=5, store=False, absent=frozenset({"p3"}))
    r4 = computed.schedule.placements["r4"]
    used = set(Meeting.objects.filter(slot_id=r4.slot).values_list("table", flat=True))
    free = next(f"T{n}" for n in range(1, 11) if f"T{n}" not in used)
    computed.schedule.placements["r4"] = Placement(r4.slot, free)
    computed = dataclasses.replace(
        computed,
        changes=changes_by_person(computed.problem, computed.problem.previous, computed.schedule),
    )
    return save_draft(event, computed, frozenset({"p3"}))


@pytest.mark.parametrize("size", SIZES)
def test_the_draft_is_read_then_applied_or_discarded(page, draft, size):
    sign_in(page, "orga@example.com", SIZES[size], "en")
    page.goto(f"{page.base_url}/orga/{draft.event.slug}/runs/")
    page.click("text=A re-planned schedule waits for your decision")
    page.wait_for_selector("text=Changes per person")
    figures = page.inner_text("section.figures")
    assert "announced meetings removed" in figures and "moved to another table only" in figures
    table = page.inner_text("table.data")
    assert "same time, another table" in table and "Peter Ho" in table
    check_fits_the_window(page)
    save_screenshot(page, f"schedule-draft-{size}")
    r3_before = Meeting.objects.filter(request__key="r3").exists()
    assert r3_before
    if size == "desktop":
        page.click("button[value=apply]")
        page.wait_for_selector("text=The draft is applied")
        assert not Meeting.objects.filter(request__key="r3").exists()
    else:
        page.click("button[value=discard]")
        page.wait_for_selector("text=The draft is discarded")
        assert Meeting.objects.filter(request__key="r3").exists()
    save_screenshot(page, f"schedule-draft-decided-{size}")
