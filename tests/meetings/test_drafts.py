"""Re-planning after publication is a draft: counted, applied or discarded, never stale."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from superconnector.directory.models import Participant
from superconnector.engine.scheduling import Placement
from superconnector.engine.scheduling.solution import Change
from superconnector.events.domain.access import add_organiser
from superconnector.events.models import AuditEntry, Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.domain.drafts import (
    DraftRefused,
    apply_draft,
    discard_draft,
    is_stale,
    pending_draft,
    save_draft,
)
from superconnector.meetings.domain.publication import publish_event_schedule
from superconnector.meetings.domain.requests import cancel_request
from superconnector.meetings.domain.schedule import change_lines, schedule_event
from superconnector.meetings.domain.scheduling import run_scheduling
from superconnector.meetings.models import Meeting, MeetingRequest, ScheduleDraft, SchedulingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document):
    document["meeting_requests"].append(
        {"key": "r4", "from": "p4", "to": "p1", "status": "accepted"}
    )
    import_document(document)
    return Event.objects.get()


@pytest.fixture
def published(event):
    schedule_event(event, time_limit=5)
    publish_event_schedule(event, None)
    event.refresh_from_db()
    return event


def stored(event) -> dict[str, tuple[int, str]]:
    return {
        m.request.key: (m.slot_id, m.table)
        for m in Meeting.objects.filter(event=event).select_related("request")
    }


def test_before_publication_a_run_stores_directly(event):
    run = run_scheduling(SchedulingRun.objects.create(event=event, time_limit=5))
    assert run.status == "done" and "draft" not in run.stats
    assert set(stored(event)) == {"r1", "r3", "r4"}
    assert not ScheduleDraft.objects.exists()


def test_after_publication_a_run_is_a_draft_with_its_counts(published):
    before = stored(published)
    computed = schedule_event(published, time_limit=5, store=False, absent=frozenset({"p3"}))
    draft = save_draft(published, computed, frozenset({"p3"}))
    # Peter (p3) is absent: his meeting with Amy (r3) goes; nothing else moves.
    assert draft.counts == {
        "added": 0,
        "removed": 1,
        "moved": 0,
        "table": 0,
        "gained": -1,
        "people": 2,
        "zero_move": 2,  # r1 and r4 stay where announced: what a schedule moving nobody holds
    }
    assert [row[:3] for row in draft.changes] == [["p1", "removed", "r3"], ["p3", "removed", "r3"]]
    assert stored(published) == before  # nothing written yet
    assert not is_stale(draft)


def test_the_background_run_keeps_a_draft_once_published(published):
    before = stored(published)
    run = run_scheduling(SchedulingRun.objects.create(event=published, time_limit=5))
    draft = ScheduleDraft.objects.get()
    assert run.stats["draft"] == draft.pk and draft.run == run
    assert draft.status == "pending" and pending_draft(published) == draft
    assert stored(published) == before


def test_applying_writes_the_draft_and_is_audited(published, django_user_model):
    user = django_user_model.objects.create_user("o@example.com", "a-long-password")
    computed = schedule_event(published, time_limit=5, store=False, absent=frozenset({"p3"}))
    draft = save_draft(published, computed, frozenset({"p3"}))
    apply_draft(draft, user)
    assert "r3" not in stored(published) and {"r1", "r4"} <= set(stored(published))
    draft.refresh_from_db()
    assert draft.status == "applied" and draft.decided_by == user
    entry = AuditEntry.objects.get(action="apply", subject="schedule draft")
    assert entry.detail["draft"] == draft.pk and entry.detail["removed"] == 1
    with pytest.raises(DraftRefused) as twice:
        apply_draft(draft, user)
    assert twice.value.code == "decided"


def test_discarding_leaves_the_schedule_and_is_audited(published):
    before = stored(published)
    computed = schedule_event(published, time_limit=5, store=False, absent=frozenset({"p3"}))
    draft = discard_draft(save_draft(published, computed, frozenset({"p3"})), None)
    assert draft.status == "discarded" and stored(published) == before
    assert AuditEntry.objects.filter(action="discard", subject="schedule draft").exists()
    with pytest.raises(DraftRefused):
        apply_draft(draft, None)


def test_a_draft_goes_stale_when_requests_change_and_is_not_applied(published):
    computed = schedule_event(published, time_limit=5, store=False)
    draft = save_draft(published, computed, frozenset())
    # After the draft, Li Na (p4) calls off her meeting with Amy.
    cancel_request(MeetingRequest.objects.get(key="r4"), by=Participant.objects.get(key="p4"))
    before = stored(published)
    assert is_stale(draft)
    with pytest.raises(DraftRefused) as refused:
        apply_draft(draft, None)
    assert refused.value.code == "stale" and "out of date" in str(refused.value)
    assert stored(published) == before
    draft.refresh_from_db()
    assert draft.status == "pending"


def test_a_draft_goes_stale_when_someone_is_marked_absent(published):
    draft = save_draft(published, schedule_event(published, time_limit=5, store=False), frozenset())
    assert not is_stale(draft)
    # The flag alone (the check-in desk's mark, before anything is cancelled) is enough.
    Participant.objects.filter(key="p3").update(absent=True)
    assert is_stale(draft)


def test_a_newer_draft_replaces_an_undecided_one(published):
    first = save_draft(published, schedule_event(published, time_limit=5, store=False), frozenset())
    second = save_draft(
        published, schedule_event(published, time_limit=5, store=False), frozenset()
    )
    first.refresh_from_db()
    assert first.status == "superseded" and pending_draft(published) == second


def test_the_command_keeps_a_draft_after_publication_and_applies_it(published, capsys):
    before = stored(published)
    call_command("schedule", published.slug, "--time-limit", "5", "--absent", "p3")
    out = capsys.readouterr().out
    assert "Kept as draft" in out and "1 announced removed" in out
    assert "0 moved to another slot, 0 moved to another table only, 2 people affected" in out
    assert stored(published) == before
    call_command("schedule", published.slug, "--apply")
    assert "Applied draft" in capsys.readouterr().out
    assert "r3" not in stored(published)
    with pytest.raises(CommandError, match="no draft waiting"):
        call_command("schedule", published.slug, "--apply")


def test_the_command_discards_and_apply_now_writes_at_once(published, capsys):
    call_command("schedule", published.slug, "--time-limit", "5", "--absent", "p3")
    call_command("schedule", published.slug, "--discard")
    assert "Discarded draft" in capsys.readouterr().out
    assert ScheduleDraft.objects.get().status == "discarded"
    assert "r3" in stored(published)
    call_command("schedule", published.slug, "--time-limit", "5", "--absent", "p3", "--apply-now")
    assert "r3" not in stored(published)
    assert ScheduleDraft.objects.count() == 1  # no draft for --apply-now
    assert "Kept as draft" not in capsys.readouterr().out


def test_the_command_refuses_a_stale_draft(published):
    call_command("schedule", published.slug, "--time-limit", "5")
    cancel_request(MeetingRequest.objects.get(key="r4"), by=Participant.objects.get(key="p4"))
    with pytest.raises(CommandError, match="out of date"):
        call_command("schedule", published.slug, "--apply")


def test_the_command_dry_run_keeps_no_draft(published, capsys):
    call_command("schedule", published.slug, "--time-limit", "5", "--dry-run", "--absent", "p3")
    assert not ScheduleDraft.objects.exists()
    with pytest.raises(CommandError):
        call_command("schedule", published.slug, "--apply", "--discard")


def test_changes_name_slot_and_table_moves_apart(published):
    slots = sorted(Meeting.objects.filter(event=published).values_list("slot_id", flat=True))
    slot = slots[0]
    changes = {
        "p1": [
            Change("table", "r1", "p2", Placement(slot, "T4"), Placement(slot, "T7")),
            Change("moved", "r3", "p3", Placement(slot, "T1"), Placement(slots[1], "T1")),
        ]
    }
    lines = change_lines(published, changes)
    assert lines[0].startswith("  p1: table r1 with p2: from ")
    assert lines[0].endswith(" T7: same time, another table")
    assert "T4 to" in lines[0]
    assert lines[1].endswith(": another time, same table")


def test_the_command_json_names_the_draft_after_publication(published, capsys):
    import json

    call_command("schedule", published.slug, "--time-limit", "5", "--absent", "p3", "--json")
    document = json.loads(capsys.readouterr().out)
    draft = ScheduleDraft.objects.get()
    assert document["draft"] == {"id": draft.pk, "counts": draft.counts}
    assert document["draft"]["counts"]["removed"] == 1


def test_only_a_published_schedule_is_re_planned_for_stability(event, published):
    """Before publication nothing was told: the engine plans afresh (no zero-move count);
    after it, the engine's re-planning order applies and reports the zero-move count."""
    Event.objects.filter(pk=published.pk).update(schedule_published_at=None)
    published.refresh_from_db()
    assert schedule_event(published, time_limit=5, store=False).schedule.zero_move_meetings is None
    publish_event_schedule(published, None)
    published.refresh_from_db()
    computed = schedule_event(published, time_limit=5, store=False)
    assert computed.schedule.zero_move_meetings == 3


def test_the_draft_page_shows_what_stability_costs(published, client, django_user_model):
    computed = schedule_event(published, time_limit=5, store=False, absent=frozenset({"p3"}))
    draft = save_draft(published, computed, frozenset({"p3"}))
    organiser = django_user_model.objects.create_user("orga@example.org", "a-long-password")
    add_organiser(published, organiser)
    client.force_login(organiser)
    page = client.get(f"/orga/{published.slug}/runs/scheduling/draft/{draft.pk}/")
    assert page.status_code == 200
    assert "Without moving any announced meeting: 2." in page.text
