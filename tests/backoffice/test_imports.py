import io
import json

import pytest
from django.urls import reverse

from superconnector.backoffice.domain.imports import problem_rows
from superconnector.backoffice.models import StagedImport
from superconnector.directory.models import Participant, Person

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


def upload(client, event, name: str, content: bytes):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("backoffice:import", args=[event.slug]), {"file": file}, follow=True)


def test_dry_run_reports_row_errors_and_writes_nothing(orga_client, event):
    before = Participant.objects.count(), Person.objects.count()
    response = upload(orga_client, event, "delegates.csv", BAD_CSV)
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


def test_dry_run_summarises_then_confirm_applies(orga_client, event):
    before = Participant.objects.filter(event=event).count()
    response = upload(orga_client, event, "delegates.csv", GOOD_CSV)
    assert "Confirm and import" in response.text
    tallies = dict(response.context["tallies"])
    assert tallies["participants"]["created"] == 2
    assert tallies["organisations"]["created"] == 2
    assert Participant.objects.filter(event=event).count() == before  # nothing written yet
    staged = StagedImport.objects.get()
    response = orga_client.post(
        reverse("backoffice:import-apply", args=[event.slug, staged.pk]), follow=True
    )
    assert "Imported delegates.csv." in response.text
    assert Participant.objects.filter(event=event).count() == before + 2
    assert Person.objects.filter(email="chan@example.com").exists()
    staged.refresh_from_db()
    assert staged.applied_at is not None
    # Confirming twice does not import twice.
    orga_client.post(reverse("backoffice:import-apply", args=[event.slug, staged.pk]))
    assert Participant.objects.filter(event=event).count() == before + 2


def test_json_for_this_event_is_imported_after_confirmation(orga_client, event, document):
    document["organisations"][0]["name"] = "Harbour Law Partners"
    response = upload(orga_client, event, "event.json", json.dumps(document).encode())
    assert dict(response.context["tallies"])["organisations"]["updated"] == 1
    staged = StagedImport.objects.get()
    orga_client.post(reverse("backoffice:import-apply", args=[event.slug, staged.pk]))
    assert Participant.objects.get(key="p1").organisation.name == "Harbour Law Partners"


def test_json_for_another_event_is_refused(orga_client, event, document):
    document["event"]["slug"] = "other-event"
    response = upload(orga_client, event, "event.json", json.dumps(document).encode())
    problems = response.context["problems"]
    assert len(problems) == 1 and "other-event" in problems[0].message
    assert not StagedImport.objects.get().ok


def test_confirm_rechecks_and_is_all_or_nothing(orga_client, event):
    upload(orga_client, event, "delegates.csv", GOOD_CSV)
    staged = StagedImport.objects.get()
    # Tampering with the stored file: the confirmation runs every check again.
    staged.content = BAD_CSV
    staged.save()
    before = Participant.objects.count()
    response = orga_client.post(
        reverse("backoffice:import-apply", args=[event.slug, staged.pk]), follow=True
    )
    assert "The import was refused; nothing was written." in response.text
    assert Participant.objects.count() == before
    staged.refresh_from_db()
    assert staged.ok is False and staged.applied_at is None


def test_unsupported_file_type_is_refused(orga_client, event):
    response = upload(orga_client, event, "notes.txt", b"hello")
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
    response = upload(client, fair, "delegates.csv", csv)
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
