"""Importing exchange documents: all or nothing, every problem with its JSON path, idempotent."""

import copy
import json

import pytest

from superconnector.directory.models import Organisation, Participant, Person, ProposedChange
from superconnector.events.models import Event
from superconnector.exchange.exporter import export_event
from superconnector.exchange.importer import import_document, import_file_content
from superconnector.exchange.problems import ImportRejected
from superconnector.meetings.models import Meeting, MeetingRequest, MeetingRequestChange

pytestmark = pytest.mark.django_db


def rejected_paths(document, **options) -> dict[str, str]:
    with pytest.raises(ImportRejected) as caught:
        import_document(document, **options)
    return {problem.path: problem.message for problem in caught.value.problems}


def snapshot() -> list:
    return [export_event(event) for event in Event.objects.order_by("slug")]


def test_a_valid_document_creates_everything(document):
    report = import_document(document)
    event = Event.objects.get(slug="bj-hk-2026")
    assert report.event == "created"
    assert {name: t.created for name, t in report.tallies.items()} == {
        "organisations": 3,
        "participants": 4,
        "opportunities": 3,
        "meeting_sessions": 2,
        "availability": 2,
        "meeting_requests": 3,
        "meetings": 1,
    }
    assert event.sessions.get(key="am").slots.count() == 7
    meeting = Meeting.objects.get(request__key="r1")
    assert meeting.locked and meeting.table == "T1"
    assert {seat.participant.key for seat in meeting.seats.all()} == {"p1", "p2"}


def test_importing_the_same_document_twice_changes_nothing(document):
    import_document(document)
    before = snapshot()
    report = import_document(copy.deepcopy(document))
    assert not report.changed
    assert all(t.unchanged and not t.changed for t in report.tallies.values())
    assert "Nothing changed." in report.render()
    assert snapshot() == before


def test_values_are_normalised_and_missing_languages_detected(document):
    import_document(document)
    exported = export_event(Event.objects.get())
    organisations = {o["key"]: o for o in exported["organisations"]}
    assert organisations["harbour-law"]["sectors"] == ["legal", "ip"]
    assert organisations["harbour-law"]["language"] == "en"
    assert organisations["zhiyuan"]["language"] == "zh-Hans"
    assert organisations["kowloon-bank"]["language"] == "zh-Hant"
    assert Person.objects.get(email="amy.leung@example.com").name == "Amy Leung"


def test_a_changed_document_updates_rows_with_the_same_keys(document):
    import_document(document)
    document["opportunities"][1]["title"] = "HKEX Main Board listing counsel"
    document["meeting_requests"][1]["status"] = "accepted"
    report = import_document(document)
    assert report.tallies["opportunities"].updated == 1
    assert report.tallies["opportunities"].unchanged == 2
    request = MeetingRequest.objects.get(key="r2")
    assert request.status == "accepted"
    assert list(request.changes.values_list("from_status", "to_status")) == [
        ("", "pending"),
        ("pending", "accepted"),
    ]
    assert request.changes.last().source == "import"


def test_rows_the_document_omits_are_kept_unless_pruning(document):
    import_document(document)
    smaller = copy.deepcopy(document)
    smaller["opportunities"] = smaller["opportunities"][:1]
    del smaller["meetings"]
    import_document(smaller)
    assert Event.objects.get().opportunities.count() == 3
    assert Meeting.objects.count() == 1
    report = import_document(smaller, prune=True)
    assert report.tallies["opportunities"].deleted == 2
    assert sorted(Event.objects.get().opportunities.values_list("key", flat=True)) == ["o1"]
    assert Meeting.objects.count() == 1  # the meetings list was absent: nothing pruned there


def test_pruning_a_participant_takes_their_requests_and_meetings(document):
    import_document(document)
    smaller = copy.deepcopy(document)
    smaller["participants"] = [p for p in smaller["participants"] if p["key"] != "p2"]
    for name in ("availability", "meeting_requests", "meetings"):
        del smaller[name]
    report = import_document(smaller, prune=True)
    assert report.tallies["participants"].deleted == 1
    assert report.tallies["meeting_requests"].deleted == 1
    assert not Participant.objects.filter(key="p2").exists()
    assert not MeetingRequest.objects.filter(key="r1").exists()
    assert Meeting.objects.count() == 0
    assert Person.objects.filter(email="zhang.wei@example.com").exists()  # people are platform-wide


def test_dry_run_reports_but_writes_nothing(document):
    report = import_document(document, dry_run=True)
    assert report.event == "created" and report.dry_run
    assert "Would import" in report.render()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        (lambda d: d["event"].update(starts_on="2026-02-30"), "$.event.starts_on", "not a date"),
        (lambda d: d["event"].update(ends_on="2026-12-01"), "$.event.ends_on", "before starts_on"),
        (lambda d: d["event"].update(timezone="Asia/Beijing"), "$.event.timezone", "IANA"),
        (
            lambda d: d["meeting_sessions"][0].update(start="9:00"),
            "$.meeting_sessions[0].start",
            "HH:MM",
        ),
        (
            lambda d: d["meeting_sessions"][0].update(end="24:00"),
            "$.meeting_sessions[0].end",
            "HH:MM",
        ),
        (
            lambda d: d["meeting_sessions"][0].update(end="08:00"),
            "$.meeting_sessions[0].end",
            "not after start",
        ),
        (
            lambda d: d["meeting_sessions"][1].update(date="2026-12-09"),
            "$.meeting_sessions[1].date",
            "outside",
        ),
        (
            lambda d: d["meeting_sessions"][1].update(slot_minutes=180),
            "$.meeting_sessions[1].slot_minutes",
            "no 180-minute slot",
        ),
        (
            lambda d: d["availability"][0]["unavailable"][0].update(end="09:00"),
            "$.availability[0].unavailable[0].end",
            "not after",
        ),
        (
            lambda d: d["participants"][0].update(email="amy at example"),
            "$.participants[0].email",
            "not a valid e-mail",
        ),
        (
            lambda d: d["participants"][0].update(role="boss"),
            "$.participants[0].role",
            "must be one of",
        ),
        (
            lambda d: d["organisations"][0].update(kind="company"),
            "$.organisations[0].kind",
            "must be one of",
        ),
        (
            lambda d: d["organisations"][0].update(key="bad key!"),
            "$.organisations[0].key",
            "not a valid key",
        ),
        (
            lambda d: d["organisations"][0].update(website="ftp://x"),
            "$.organisations[0].website",
            "web address",
        ),
        (lambda d: d["organisations"][0].pop("region"), "$.organisations[0].region", "required"),
        (
            lambda d: d["organisations"][0].update(colour="red"),
            "$.organisations[0].colour",
            "unknown field",
        ),
        (lambda d: d.update(sponsors=[]), "$.sponsors", "unknown field"),
        (
            lambda d: d["meeting_requests"][0].update(priority=5),
            "$.meeting_requests[0].priority",
            "at most 3",
        ),
        (
            lambda d: d["meeting_requests"][0].update(priority="3"),
            "$.meeting_requests[0].priority",
            "whole number",
        ),
        (lambda d: d["meetings"][0].update(locked="yes"), "$.meetings[0].locked", "true or false"),
        (
            lambda d: d["participants"][1].update(organisation="ghost"),
            "$.participants[1].organisation",
            'organisation "ghost"',
        ),
        (
            lambda d: d["opportunities"][0].update(organisation="ghost"),
            "$.opportunities[0].organisation",
            "neither in the document",
        ),
        (
            lambda d: d["availability"][1].update(sessions=["night"]),
            "$.availability[1].sessions[0]",
            'meeting session "night"',
        ),
        (
            lambda d: d["meeting_requests"][0].update(to="nobody"),
            "$.meeting_requests[0].to",
            'participant "nobody"',
        ),
        (
            lambda d: d["meetings"][0].update(request="r9"),
            "$.meetings[0].request",
            'meeting request "r9"',
        ),
        (
            lambda d: d["participants"].append(dict(d["participants"][0], email="x@example.com")),
            "$.participants[4].key",
            "duplicate key",
        ),
        (
            lambda d: d["participants"][3].update(email="amy.leung@example.com"),
            "$.participants[3].email",
            "already the e-mail",
        ),
        (
            lambda d: d["meeting_requests"][2].update(to="p3"),
            "$.meeting_requests[2].to",
            "themselves",
        ),
        (
            lambda d: d["meeting_requests"][1].update(to="p2"),
            "$.meeting_requests[1].to",
            "both belong to organisation",
        ),
        (
            lambda d: d["meeting_requests"].append(
                {"key": "r4", "from": "p1", "to": "p2", "status": "pending"}
            ),
            "$.meeting_requests[3].key",
            "already have an open request",
        ),
        (
            lambda d: d["meetings"][0].update(start="09:20", end="09:40"),
            "$.meetings[0].start",
            "not a slot",
        ),
        (
            lambda d: d["meetings"].append(
                {
                    "request": "r2",
                    "date": "2026-12-08",
                    "start": "09:50",
                    "end": "10:10",
                    "table": "T2",
                }
            ),
            "$.meetings[1].request",
            "is pending",
        ),
        (
            lambda d: d["meetings"].append(
                {
                    "request": "r3",
                    "date": "2026-12-08",
                    "start": "09:25",
                    "end": "09:45",
                    "table": "T1",
                }
            ),
            "$.meetings[1].table",
            "already taken",
        ),
        (
            lambda d: d["meetings"].append(
                {
                    "request": "r3",
                    "date": "2026-12-08",
                    "start": "09:25",
                    "end": "09:45",
                    "table": "T2",
                }
            ),
            "$.meetings[1]",
            'participant "p1" already has a meeting',
        ),
    ],
)
def test_each_bad_input_is_named_by_its_path_and_nothing_is_written(
    document, mutate, path, fragment
):
    mutate(document)
    problems = rejected_paths(document)
    assert path in problems, problems
    assert fragment in problems[path]
    assert not Event.objects.exists()
    assert not Organisation.objects.exists()


def test_every_problem_is_reported_not_only_the_first(document):
    document["event"]["starts_on"] = "tomorrow"
    document["participants"][0]["email"] = "nope"
    document["participants"][1]["extra"] = 1
    document["meeting_sessions"][0]["tables"] = 0
    problems = rejected_paths(document)
    assert set(problems) == {
        "$.event.starts_on",
        "$.participants[0].email",
        "$.participants[1].extra",
        "$.meeting_sessions[0].tables",
    }


def test_reference_errors_are_all_reported_together(document):
    document["participants"][0]["organisation"] = "ghost-1"
    document["opportunities"][2]["organisation"] = "ghost-2"
    document["meeting_requests"][1]["from"] = "ghost-3"
    problems = rejected_paths(document)
    assert {
        "$.participants[0].organisation",
        "$.opportunities[2].organisation",
        "$.meeting_requests[1].from",
    } <= set(problems)


def test_a_failed_import_leaves_an_existing_event_untouched(document):
    import_document(document)
    before = snapshot()
    changed = copy.deepcopy(document)
    changed["opportunities"][0]["title"] = "A new title that must not be saved"
    changed["participants"][2]["organisation"] = "ghost"
    with pytest.raises(ImportRejected):
        import_document(changed)
    assert snapshot() == before


def test_problems_with_existing_rows_are_found(document):
    import_document(document)
    new_rows = {
        "format": "superconnector/v1",
        "event": document["event"],
        "participants": [
            {"key": "p9", "organisation": "zhiyuan", "name": "Dup", "email": "peter.ho@example.com"}
        ],
        "meetings": [
            {"request": "r3", "date": "2026-12-08", "start": "09:25", "end": "09:45", "table": "T1"}
        ],
    }
    problems = rejected_paths(new_rows)
    assert 'participant "p3" (already in the event)' in problems["$.participants[0].email"]
    assert "already taken" in problems["$.meetings[0].table"]


def test_unknown_fields_are_ignored_with_a_warning_when_lenient(document):
    document["organisations"][0]["colour"] = "red"
    document["notes"] = "from our CRM"
    report = import_document(document, lenient=True)
    assert {w.path for w in report.warnings} == {"$.organisations[0].colour", "$.notes"}
    assert Event.objects.filter(slug="bj-hk-2026").exists()


def test_wrong_format_and_invalid_json_are_refused():
    with pytest.raises(ImportRejected, match="1 problem") as caught:
        import_document({"format": "superconnector/v2", "event": {}})
    assert caught.value.problems[0].path == "$.format"
    with pytest.raises(ImportRejected) as caught:
        import_file_content(b'{"format": "superconnector/v1",\n "event": }')
    assert "invalid JSON" in caught.value.problems[0].message
    assert "line 2" in caught.value.problems[0].message
    with pytest.raises(ImportRejected) as caught:
        import_file_content(b"\xff\xfe{}")
    assert "not UTF-8" in caught.value.problems[0].message
    with pytest.raises(ImportRejected) as caught:
        import_document([1, 2])
    assert "must be a JSON object" in caught.value.problems[0].message


def test_moving_a_meeting_and_changing_a_session_keeps_the_schedule_consistent(document):
    import_document(document)
    document["meetings"][0].update(start="09:50", end="10:10", table="T3")
    import_document(document)
    meeting = Meeting.objects.get()
    assert meeting.table == "T3"
    assert {seat.slot_id for seat in meeting.seats.all()} == {meeting.slot_id}
    # Lengthening the gap moves the 09:50 slot; the meeting must then move too or be refused.
    document["meeting_sessions"][0]["gap_minutes"] = 10
    problems = rejected_paths(document)
    assert "not a slot" in problems["$.meetings[0].start"]


def test_a_time_zone_change_moves_slot_instants_but_not_wall_clock_times(document):
    import_document(document)
    first_before = Meeting.objects.get().slot.starts_at
    document["event"]["timezone"] = "Asia/Tokyo"
    import_document(document)
    meeting = Meeting.objects.get()
    assert (first_before - meeting.slot.starts_at).total_seconds() == 3600
    exported = export_event(Event.objects.get())
    assert exported["meetings"][0]["start"] == "09:25"


def test_returning_organisations_and_people_are_recognised_across_events(document):
    import_document(document)
    next_year = copy.deepcopy(document)
    next_year["event"].update(slug="bj-hk-2027", starts_on="2027-12-07", ends_on="2027-12-07")
    for name in ("meeting_sessions", "availability", "meeting_requests", "meetings"):
        del next_year[name]
    for row in next_year["organisations"]:
        row["key"] = "new-" + row["key"]
        row.pop("website", None)
    for row in next_year["participants"]:
        row["organisation"] = "new-" + row["organisation"]
    for row in next_year["opportunities"]:
        row["organisation"] = "new-" + row["organisation"]
    next_year["organisations"][1]["name"] = "  ZHIYUAN   ai "  # same firm, typed differently
    import_document(next_year)
    assert Organisation.objects.count() == 3
    assert Person.objects.count() == 4
    amy = Person.objects.get(email="amy.leung@example.com")
    assert amy.participations.count() == 2


def test_an_import_never_moves_a_participants_email(document):
    """Issue 12, finding 2: re-importing a participant key with another address used to
    rewrite the shared person's e-mail, handing their sign-in links to the file's author."""
    import_document(document)
    person_id = Participant.objects.get(key="p3").person_id
    document["participants"][2]["email"] = "attacker@evil.example.com"
    problems = rejected_paths(document)
    message = problems["$.participants[2].email"]
    assert "peter.ho@example.com" in message and "attacker@evil.example.com" in message
    participant = Participant.objects.select_related("person").get(key="p3")
    assert participant.person_id == person_id
    assert participant.person.email == "peter.ho@example.com"
    assert not Person.objects.filter(email="attacker@evil.example.com").exists()


def test_a_declined_request_then_reopened_between_the_same_pair(document):
    import_document(document)
    document["meeting_requests"][1]["status"] = "declined"
    document["meeting_requests"].append(
        {"key": "r5", "from": "p3", "to": "p4", "status": "pending"}
    )
    report = import_document(document)
    assert report.tallies["meeting_requests"].created == 1
    assert MeetingRequest.objects.get(key="r5").status == "pending"


def test_status_history_is_recorded_on_create(document):
    import_document(document)
    assert MeetingRequestChange.objects.count() == 3
    assert set(MeetingRequestChange.objects.values_list("source", flat=True)) == {"import"}


def test_the_problem_report_is_readable(document):
    document["participants"][0]["email"] = "nope"
    with pytest.raises(ImportRejected) as caught:
        import_document(document, source="delegates.json")
    text = caught.value.render()
    assert text.splitlines()[0] == "1 problem found in delegates.json; nothing was imported"
    assert "  $.participants[0].email: 'nope' is not a valid e-mail address" in text
    assert json.dumps(document)  # the input itself is not modified by validation


def test_structural_and_whole_event_problems_are_reported_together(document):
    document["participants"][0]["email"] = "bad"  # p1: structurally broken
    document["meeting_requests"][1]["to"] = "ghost"  # a dangling reference elsewhere
    problems = rejected_paths(document)
    assert set(problems) == {"$.participants[0].email", "$.meeting_requests[1].to"}
    # r1 and r3 refer to the broken p1: not reported again as a missing participant.


def test_a_renamed_organisation_is_recognised_by_its_website(document):
    import_document(document)
    other = {
        "format": "superconnector/v1",
        "event": dict(document["event"], slug="roundtable-2027"),
        "organisations": [
            dict(
                document["organisations"][0],
                key="hl",
                name="Harbour Legal (rebranded)",
                website="https://www.harbour-law.example.com/en/",
            ),
            dict(document["organisations"][1], key="zy-2", name="A Different Name Entirely"),
        ],
    }
    report = import_document(other)
    assert Organisation.objects.count() == 4  # harbour-law reused, the renamed zhiyuan is new
    harbour = Organisation.objects.get(website_host="harbour-law.example.com")
    assert harbour.participations.count() == 2
    assert report.tallies["organisations"].linked == 1
    # The record is shared with bj-hk-2026: the new name is proposed to its owner, not
    # written over the other event's (directory/domain/ownership.py).
    assert harbour.name == "Harbour Law LLP"
    proposal = ProposedChange.objects.get(organisation=harbour, field="name")
    assert proposal.proposed_value == "Harbour Legal (rebranded)"
    assert proposal.status == "pending"


def test_a_meeting_follows_its_request_when_the_request_names_someone_else(document):
    import_document(document)
    document["meeting_requests"][0]["to"] = "p3"  # r1 was p2 -> p1; p3 is free at 09:25
    import_document(document)
    meeting = Meeting.objects.get(request__key="r1")
    assert {seat.participant.key for seat in meeting.seats.all()} == {"p2", "p3"}


def test_expired_requests_are_imported_and_exported_as_expired(document):
    """Additions of 2026-12: meeting_requests.status may be `expired`."""
    document["meeting_requests"][1]["status"] = "expired"  # r2
    import_document(document)
    request = MeetingRequest.objects.get(key="r2")
    assert request.status == "expired"
    exported = export_event(Event.objects.get(slug="bj-hk-2026"))
    assert {r["key"]: r["status"] for r in exported["meeting_requests"]}["r2"] == "expired"
    assert not import_document(exported).changed
    # An expired request is closed: the same pair may open another.
    document["meeting_requests"].append(
        {"key": "r4", "from": "p3", "to": "p4", "status": "pending"}
    )
    import_document(document)
    assert MeetingRequest.objects.get(key="r4").status == "pending"


def test_new_event_dates_that_would_leave_a_session_outside_are_refused_at_the_date(document):
    import_document(document)  # sessions "am" and "pm" on 2026-12-08
    later = {"format": document["format"], "event": {**document["event"]}}
    later["event"].update(starts_on="2026-12-09", ends_on="2026-12-10")
    problems = rejected_paths(later)
    assert list(problems) == ["$.event.starts_on"]
    assert '"am" (2026-12-08), "pm" (2026-12-08)' in problems["$.event.starts_on"]
    earlier = {"format": document["format"], "event": {**document["event"]}}
    earlier["event"].update(starts_on="2026-12-01", ends_on="2026-12-07")
    assert '"pm" (2026-12-08)' in rejected_paths(earlier)["$.event.ends_on"]
    assert Event.objects.get(slug="bj-hk-2026").starts_on.isoformat() == "2026-12-08"


def _tallies(report) -> dict:
    return {name: vars(tally) for name, tally in report.tallies.items()}


@pytest.mark.parametrize(
    "change",
    [
        lambda d: None,
        lambda d: d["meetings"][0].update(locked=False),
        lambda d: d["meeting_sessions"][0].update(location="Hall B"),
        lambda d: d["meeting_requests"][1].update(status="accepted"),
        lambda d: d["participants"][1].update(title="Chief Executive", role="vip"),
        lambda d: d["organisations"][0].update(description="", region="Macau"),
    ],
)
def test_the_dry_run_counts_exactly_what_the_import_then_does(document, change):
    """The preview comes from the read-only plan; the import must do what it said."""
    import_document(copy.deepcopy(document))
    change(document)
    preview = import_document(copy.deepcopy(document), dry_run=True)
    report = import_document(document)
    assert _tallies(preview) == _tallies(report)
    assert preview.shared_changes == report.shared_changes
    assert preview.changed == report.changed
