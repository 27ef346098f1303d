import datetime as dt
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from superconnector.backoffice.domain import imports as imports_domain
from superconnector.backoffice.domain.imports import STAGE_CHECKING, apply_import, problem_rows
from superconnector.backoffice.uploads import start_apply
from superconnector.directory.models import Participant, Person
from superconnector.exchange.models import StagedImport

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "姓名,電郵,機構,機構類別\n"
    "Chan Tai Man,chan@example.com,Harbour Robotics,enterprise\n"
    "Wong Siu Ming,wong@example.com,Lion Rock Ventures,investor\n"
).encode()
BAD_CSV = (
    b"name,email,organisation\n"
    b"Chan Tai Man,not-an-email,Harbour Robotics\n"
    b",wong@example.com,Lion Rock Ventures\n"
)


# The database backend only stores a task: as if no worker had got to it yet.
NO_WORKER_YET = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Imports:
    """Upload and confirm as the organiser's browser does, then open the upload's page. The
    suite's immediate backend runs each task as it is queued; with run_tasks=False it is
    only stored, as the database backend does until a worker takes it up."""

    def __init__(self, client, event) -> None:
        self.client, self.event = client, event

    def page(self, staged):
        return self.client.get(
            reverse("backoffice:import-detail", args=[self.event.slug, staged.pk])
        )

    def upload(self, name: str, content: bytes, *, run_tasks: bool = True):
        file = io.BytesIO(content)
        file.name = name
        with override_settings(**({} if run_tasks else {"TASKS": NO_WORKER_YET})):
            response = self.client.post(
                reverse("backoffice:import", args=[self.event.slug]), {"file": file}
            )
        assert response.status_code == 302
        return self.page(StagedImport.objects.order_by("-pk").first())

    def confirm(self, staged, *, run_tasks: bool = True):
        url = reverse("backoffice:import-apply", args=[self.event.slug, staged.pk])
        with override_settings(**({} if run_tasks else {"TASKS": NO_WORKER_YET})):
            self.client.post(url)
        return self.page(staged)


@pytest.fixture
def imports(orga_client, event):
    return Imports(orga_client, event)


def test_dry_run_reports_row_errors_and_writes_nothing(imports, event):
    before = Participant.objects.count(), Person.objects.count()
    response = imports.upload("delegates.csv", BAD_CSV)
    assert response.status_code == 200
    assert "2 problems found; nothing was imported." in response.text
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [
        ("2", "email (email)"),
        ("3", "name (name)"),
    ]
    assert "is not a valid e-mail address" in problems[0].message
    assert problems[1].message == "is empty"
    assert "Confirm and import" not in response.text
    assert (Participant.objects.count(), Person.objects.count()) == before
    assert StagedImport.objects.get().ok is False


def test_dry_run_summarises_then_confirm_applies(imports, event):
    before = Participant.objects.filter(event=event).count()
    response = imports.upload("delegates.csv", GOOD_CSV)
    assert "Confirm and import" in response.text
    tallies = dict(response.context["tallies"])
    assert tallies["participants"]["created"] == 2
    assert tallies["organisations"]["created"] == 2
    assert Participant.objects.filter(event=event).count() == before  # nothing written yet
    staged = StagedImport.objects.get()
    response = imports.confirm(staged)
    assert "What changed" in response.text
    assert Participant.objects.filter(event=event).count() == before + 2
    assert Person.objects.filter(email="chan@example.com").exists()
    staged.refresh_from_db()
    assert staged.applied_at is not None
    # Confirming twice does not import twice.
    imports.confirm(staged)
    assert Participant.objects.filter(event=event).count() == before + 2


def test_json_for_this_event_is_imported_after_confirmation(imports, event, document):
    document["organisations"][0]["name"] = "Harbour Law Partners"
    response = imports.upload("event.json", json.dumps(document).encode())
    assert dict(response.context["tallies"])["organisations"]["updated"] == 1
    staged = StagedImport.objects.get()
    imports.confirm(staged)
    assert Participant.objects.get(key="p1").organisation.name == "Harbour Law Partners"


def test_json_for_another_event_is_refused(imports, event, document):
    document["event"]["slug"] = "other-event"
    response = imports.upload("event.json", json.dumps(document).encode())
    problems = response.context["problems"]
    assert len(problems) == 1 and "other-event" in problems[0].message
    assert not StagedImport.objects.get().ok


def test_confirm_rechecks_and_is_all_or_nothing(imports, event):
    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    # Tampering with the stored file: the confirmation runs every check again.
    staged.content = BAD_CSV
    staged.save()
    before = Participant.objects.count()
    response = imports.confirm(staged)
    assert "2 problems found; nothing was imported." in response.text
    assert Participant.objects.count() == before
    staged.refresh_from_db()
    assert staged.ok is False and staged.applied_at is None


def test_unsupported_file_type_is_refused(orga_client, event):
    file = io.BytesIO(b"hello")
    file.name = "notes.txt"
    response = orga_client.post(reverse("backoffice:import", args=[event.slug]), {"file": file})
    assert "Upload a file ending in .json, .csv, .xlsx." in response.text
    assert not StagedImport.objects.exists()


def test_problem_rows_split_spreadsheet_and_json_paths():
    rows = problem_rows(
        [
            {"path": "row 7, column 電郵 (email)", "message": "bad"},
            {"path": "$.participants[3].email", "message": "dup"},
            {"path": "row 4, email", "message": "taken"},
            {"path": "$", "message": "broken"},
        ]
    )
    assert [(r.row, r.column, r.message) for r in rows] == [
        ("7", "電郵 (email)", "bad"),
        ("participants[3]", "email", "dup"),
        ("4", "email", "taken"),
        ("", "$", "broken"),
    ]


# --- in the background --------------------------------------------------------------------


def test_the_upload_request_stores_the_file_and_checks_nothing(imports, event, monkeypatch):
    def no_import_in_a_request(*args, **kwargs):
        raise AssertionError("the file was checked inside the web request")

    monkeypatch.setattr(imports_domain, "_run", no_import_in_a_request)
    response = imports.upload("delegates.csv", GOOD_CSV, run_tasks=False)
    staged = StagedImport.objects.get()
    assert (staged.task, staged.status, staged.report, staged.ok) == ("check", "queued", {}, False)
    assert bytes(staged.content) == GOOD_CSV
    progress = reverse("backoffice:import-progress", args=[event.slug, staged.pk])
    assert f'hx-get="{progress}"' in response.text and 'hx-trigger="every 1s"' in response.text
    assert "Confirm and import" not in response.text


def test_confirming_queues_the_import_and_writes_nothing_in_the_request(imports, event):
    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    before = Participant.objects.filter(event=event).count()
    response = imports.confirm(staged, run_tasks=False)
    staged.refresh_from_db()
    assert (staged.task, staged.status, staged.applied_at) == ("apply", "queued", None)
    assert Participant.objects.filter(event=event).count() == before
    assert "Confirm and import" not in response.text and "hx-get" in response.text
    # A second click while it waits queues nothing more.
    assert start_apply(staged, None) is False


def test_the_progress_fragment_polls_then_reloads_the_page_when_done(imports, event):
    imports.upload("delegates.csv", GOOD_CSV, run_tasks=False)
    staged = StagedImport.objects.get()
    url = reverse("backoffice:import-progress", args=[event.slug, staged.pk])
    StagedImport.objects.filter(pk=staged.pk).update(
        status="running", stage=STAGE_CHECKING, progress=0.2
    )
    response = imports.client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in response.text and 'aria-valuenow="20"' in response.text
    assert "checking every row" in response.text and "<html" not in response.text
    assert "HX-Refresh" not in response.headers
    StagedImport.objects.filter(pk=staged.pk).update(status="done", progress=1.0, ok=True)
    response = imports.client.get(url, headers={"HX-Request": "true"})
    assert response.headers["HX-Refresh"] == "true" and "hx-trigger" not in response.text


def test_a_task_nobody_takes_up_says_a_worker_is_missing(imports, event):
    imports.upload("delegates.csv", GOOD_CSV, run_tasks=False)
    staged = StagedImport.objects.get()
    assert "No task worker" not in imports.page(staged).text
    StagedImport.objects.filter(pk=staged.pk).update(
        queued_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert "No task worker has taken this up" in imports.page(staged).text


def test_a_crashing_check_is_reported_and_keeps_the_earlier_upload(imports, event, monkeypatch):
    imports.upload("first.csv", GOOD_CSV)
    first = StagedImport.objects.get()
    assert first.ok

    def crash(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports_domain, "_run", crash)
    imports.upload("second.csv", GOOD_CSV)  # the task fails (the worker records it) ...
    monkeypatch.undo()
    second = StagedImport.objects.exclude(pk=first.pk).get()
    assert (second.status, second.ok) == ("failed", False)
    assert "RuntimeError: disk on fire" in second.error
    response = imports.page(second)  # ... and the page says so: no 500
    assert response.status_code == 200 and "disk on fire" in response.text
    assert "Upload the file again" in response.text
    # A file with problems does not replace it either; a good one does.
    imports.upload("third.csv", BAD_CSV)
    assert StagedImport.objects.filter(pk=first.pk).exists()
    imports.upload("fourth.csv", GOOD_CSV)
    assert not StagedImport.objects.filter(pk=first.pk).exists()
    assert StagedImport.objects.filter(filename="fourth.csv", ok=True).exists()


def test_a_crashing_import_can_be_confirmed_again(imports, event, monkeypatch):
    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    before = Participant.objects.filter(event=event).count()

    def crash(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(imports_domain, "_run", crash)
    imports.confirm(staged)
    monkeypatch.undo()
    response = imports.page(staged)
    assert "worker lost" in response.text and "Try the import again" in response.text
    imports.confirm(staged)
    staged.refresh_from_db()
    assert staged.applied_at is not None
    assert Participant.objects.filter(event=event).count() == before + 2


@pytest.mark.parametrize(
    "content",
    [b'"a string"', b"[1, 2]", b'{"event": "x"}', b'{"format": "superconnector/v1", "event": []}'],
)
def test_json_of_the_wrong_shape_is_a_problem_not_a_crash(imports, event, content):
    response = imports.upload("event.json", content)
    assert response.status_code == 200
    staged = StagedImport.objects.get()
    assert (staged.status, staged.ok) == ("done", False)
    assert response.context["problems"]


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("delegates.csv", b"name,email,organisation\nChan\x00,chan@example.com,Harbour\n", "2"),
        ("event.json", b'{"format": "superconnector/v1", "n\\u0000": "x\\u0000"}', ""),
        ("event.json", b"[" * 900 + b"]" * 900, ""),
        ("event.json", b'{"format": "superconnector/v1", "format": "superconnector/v1"}', ""),
    ],
)
def test_a_hostile_file_is_a_problem_on_the_page_on_either_database(
    imports, event, name, content, where
):
    """NUL characters were stored on SQLite and a 500 on PostgreSQL, here and in the report
    that quotes them."""
    response = imports.upload(name, content)
    assert response.status_code == 200
    staged = StagedImport.objects.get()
    assert (staged.status, staged.ok) == ("done", False)
    problems = response.context["problems"]
    assert problems and problems[0].row == where
    assert "\x00" not in json.dumps(staged.report)


def test_an_import_task_run_twice_imports_once(imports, event):
    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    imports.confirm(staged)
    staged.refresh_from_db()
    applied_at, count = staged.applied_at, Participant.objects.count()
    apply_import(staged, None)
    staged.refresh_from_db()
    assert (staged.applied_at, staged.status) == (applied_at, "done")
    assert Participant.objects.count() == count


def test_a_task_whose_worker_died_stops_polling_and_can_be_retried(imports, event):
    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    imports.confirm(staged, run_tasks=False)
    StagedImport.objects.filter(pk=staged.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=2)
    )
    response = imports.page(staged)
    assert "its worker died" in response.text and "hx-trigger" not in response.text
    assert "Try the import again" in response.text
    imports.confirm(staged)
    staged.refresh_from_db()
    assert staged.applied_at is not None


def test_the_file_is_read_and_checked_outside_the_import_transaction(imports, event, monkeypatch):
    """On SQLite a transaction holds the write lock from its start: one around the whole
    import task kept delegates from writing while a big list was still being read."""
    from django.db import connection

    from superconnector.exchange.spreadsheet import importing

    imports.upload("delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    outside, depths = len(connection.atomic_blocks), []
    real = importing.read_sheet

    def read_sheet(*args, **kwargs):
        depths.append(len(connection.atomic_blocks))
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "read_sheet", read_sheet)
    imports.confirm(staged)
    staged.refresh_from_db()
    assert staged.applied_at is not None and depths == [outside]


def test_progress_inside_the_long_stage_follows_the_clock_and_the_file_size(event):
    now = timezone.now()
    staged = StagedImport(
        event=event,
        status="running",
        stage=STAGE_CHECKING,
        progress=0.2,
        size=10 * imports_domain.ESTIMATED_BYTES_PER_SECOND,  # about 10 s of work
        started_at=now - dt.timedelta(seconds=5),
    )
    assert imports_domain.displayed_progress(staged, now) == pytest.approx(0.575)
    assert imports_domain.displayed_progress(staged, now + dt.timedelta(minutes=5)) == 0.95
    staged.status = "done"
    assert imports_domain.displayed_progress(staged, now) == 1.0


def test_a_list_with_thousands_of_problems_shows_the_first_ones(imports, event):
    rows = "".join(f"Person {i},not-an-email-{i},Org\n" for i in range(600))
    response = imports.upload("delegates.csv", f"name,email,organisation\n{rows}".encode())
    assert "600 problems found; nothing was imported." in response.text
    assert len(response.context["problems"]) == 500
    assert "and 100 more problems" in response.text


def test_the_preview_lists_changes_to_records_another_event_shows(client, event, django_user_model):
    """Issue 12, finding 1: a list for a new event named bj-hk-2026's firm and delegate; the
    preview said "new" and hid that their fields would be overwritten."""
    from superconnector.directory.models import ProposedChange
    from superconnector.events.domain.access import add_organiser
    from tests.factories import EventFactory

    fair = EventFactory(slug="fair-2027")
    organiser = django_user_model.objects.create_user("fair@example.com", "a-long-password")
    add_organiser(fair, organiser)
    client.force_login(organiser)
    csv = (
        "姓名,職位,機構,電郵,電話,機構類型,地區\n"
        "Amy Leung,Office Manager,Harbour Law LLP,amy.leung@example.com,,企業,\n"
    ).encode("big5")
    response = Imports(client, fair).upload("delegates.csv", csv)
    tallies = dict(response.context["tallies"])
    assert tallies["participants"]["created"] == 0
    assert tallies["participants"]["linked"] == 1
    assert tallies["organisations"]["linked"] == 1
    text = response.text
    assert "Changes to organisations and people other events also show" in text
    assert "Office Manager" in text and "fill" in text  # Amy had no job title: filled
    assert "propose to the owner" in text  # service_provider -> enterprise
    assert "ignored: blank" in text and "bj-hk-2026" in text  # the blank region cell
    assert not ProposedChange.objects.exists()  # a preview writes nothing
