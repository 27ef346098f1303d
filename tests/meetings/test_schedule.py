import json

import pytest
from django.core.management import call_command

from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.meetings.domain.schedule import build_problem, schedule_event
from superconnector.meetings.models import Meeting, MeetingSeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(document):
    document["meeting_requests"].append(
        {"key": "r4", "from": "p4", "to": "p1", "status": "accepted"}
    )
    import_document(document)
    return Event.objects.get()


def test_availability_and_locks_reach_the_problem(event):
    problem = build_problem(event)
    assert {r.id for r in problem.requests} == {"r1", "r3", "r4"}  # accepted only
    pm = {s.id for s in problem.slots if s.session == "pm"}
    assert problem.availability["p3"] == frozenset(pm)  # attends the afternoon only
    assert "r1" in problem.locked
    assert len(problem.availability["p2"]) == len(problem.slots) - 2  # 10:00-10:30 blocked


def test_schedule_command_prints_the_exchange_format_and_stores_meetings(event, capsys):
    call_command("schedule", event.slug, "--time-limit", "5", "--json")
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"meetings", "unscheduled", "stats"}
    stats = document["stats"]
    assert stats["requested"] == 3 and stats["scheduled"] == 3 == stats["upper_bound"]
    assert stats["optimal"] is True and set(stats) == {
        "requested",
        "scheduled",
        "upper_bound",
        "idle_gaps",
        "solver",
        "optimal",
        "seconds",
    }
    locked = next(m for m in document["meetings"] if m["request"] == "r1")
    assert (locked["start"], locked["table"]) == ("09:25", "T1")  # the locked meeting stayed
    r3 = next(m for m in document["meetings"] if m["request"] == "r3")
    assert r3["start"] >= "14:00"  # p3 attends the afternoon only
    assert Meeting.objects.count() == 3 and MeetingSeat.objects.count() == 6


def test_re_running_keeps_placements_and_dry_run_stores_nothing(event):
    schedule_event(event, time_limit=5)
    before = set(Meeting.objects.values_list("request__key", "slot_id", "table"))
    schedule_event(event, time_limit=5)
    assert set(Meeting.objects.values_list("request__key", "slot_id", "table")) == before
    Meeting.objects.filter(locked=False).delete()
    schedule_event(event, time_limit=5, store=False)
    assert Meeting.objects.count() == 1  # only the locked one


def test_schedule_refuses_an_unknown_event():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no event"):
        call_command("schedule", "nope")


def test_a_no_show_frees_their_counterparts_and_people_get_a_list_of_changes(event):
    first = schedule_event(event, time_limit=5)
    assert first.changes  # everything was added the first time
    assert {c.kind for items in first.changes.values() for c in items} == {"added"}
    again = schedule_event(event, time_limit=5)
    assert again.changes == {}  # nothing moved when nothing changed
    run = schedule_event(event, time_limit=5, absent=frozenset({"p1"}))  # Amy did not come
    assert not Meeting.objects.filter(seats__participant__key="p1").exists()  # locked r1 too
    assert [(c.kind, c.request) for c in run.changes["p2"]] == [("removed", "r1")]
    assert {c.request for c in run.changes["p1"]} == {"r1", "r3", "r4"}  # all of Amy's meetings
