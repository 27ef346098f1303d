import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from superconnector.backoffice.domain.exports import EXPORTS
from superconnector.directory.models import Organisation, Participant
from superconnector.meetings.models import Meeting, MeetingOutcome

pytestmark = pytest.mark.django_db
EVIL = "=cmd|' /C calc'!A0"
PHONE = "+86 10 6512 3456"


@pytest.fixture
def poisoned(event):
    Organisation.objects.filter(name="Harbour Law LLP").update(name=EVIL)
    person = Participant.objects.select_related("person").get(key="p1").person
    person.title = "+SUM(1,2)"
    person.phone = PHONE
    person.save()
    meeting = Meeting.objects.get(request__key="r1")
    MeetingOutcome.objects.create(
        meeting=meeting, reported_by_id=person.participations.get().pk, kind="nda", note="@evil"
    )
    return event


def test_every_list_downloads_in_both_formats(orga_client, poisoned):
    for name in EXPORTS:
        for fmt in ("csv", "xlsx"):
            response = orga_client.get(
                reverse("backoffice:export", args=[poisoned.slug, name, fmt])
            )
            assert response.status_code == 200, (name, fmt)
            assert f'filename="bj-hk-2026-{name}.{fmt}"' in response["Content-Disposition"]


def test_csv_neutralises_formulas(orga_client, poisoned):
    response = orga_client.get(
        reverse("backoffice:export", args=[poisoned.slug, "participants", "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["key", "name", "email"]
    amy = next(row for row in rows if row[0] == "p1")
    assert amy[3] == "'+SUM(1,2)" and amy[5] == "'" + EVIL
    outcomes = orga_client.get(
        reverse("backoffice:export", args=[poisoned.slug, "outcomes", "csv"])
    )
    assert "'@evil" in outcomes.content.decode("utf-8-sig")


def test_csv_keeps_the_apostrophe_guard_on_phone_numbers(orga_client, poisoned):
    response = orga_client.get(
        reverse("backoffice:export", args=[poisoned.slug, "participants", "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert next(row for row in rows if row[0] == "p1")[4] == "'" + PHONE


def xlsx_cells(client, event, name: str) -> list:
    response = client.get(reverse("backoffice:export", args=[event.slug, name, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_xlsx_writes_text_as_text_cells_without_the_apostrophe(orga_client, poisoned):
    """XLSX states each cell's type: typed text stays as typed and is never a formula."""
    for name in EXPORTS:
        cells = xlsx_cells(orga_client, poisoned, name)
        assert not any(cell.data_type == "f" for cell in cells), name
        quoted = [c.value for c in cells if isinstance(c.value, str) and c.value[:1] == "'"]
        assert quoted == [], name
    organisations = xlsx_cells(orga_client, poisoned, "organisations")
    assert [c.data_type for c in organisations if c.value == EVIL] == ["s"]
    participants = xlsx_cells(orga_client, poisoned, "participants")
    assert {c.value: c.data_type for c in participants}.get(PHONE) == "s"
    assert {c.value: c.data_type for c in participants}.get("+SUM(1,2)") == "s"
    meetings = [c.value for c in xlsx_cells(orga_client, poisoned, "meetings")]
    assert EVIL in meetings and "T1" in meetings
    outcomes = [c.value for c in xlsx_cells(orga_client, poisoned, "outcomes")]
    assert "@evil" in outcomes


def test_unknown_export_is_404(orga_client, event):
    assert (
        orga_client.get(
            reverse("backoffice:export", args=[event.slug, "secrets", "csv"])
        ).status_code
        == 404
    )
    assert (
        orga_client.get(
            reverse("backoffice:export", args=[event.slug, "participants", "pdf"])
        ).status_code
        == 404
    )


def test_exports_do_not_query_per_row(orga_client, event, django_assert_max_num_queries):
    from tests.factories import ParticipantFactory

    ParticipantFactory.create_batch(30, event=event)
    for name in EXPORTS:
        with django_assert_max_num_queries(8):
            response = orga_client.get(reverse("backoffice:export", args=[event.slug, name, "csv"]))
        # A refused or empty export would pass the count without exporting anything.
        assert response.status_code == 200, name
        assert response.content.decode("utf-8-sig").startswith(EXPORTS[name].columns[0]), name
    participants = orga_client.get(
        reverse("backoffice:export", args=[event.slug, "participants", "csv"])
    )
    assert len(participants.content.decode("utf-8-sig").splitlines()) == 1 + 4 + 30


def test_the_participants_export_says_who_is_not_listed_and_why(orga_client, event):
    """Organisers see everyone; the export says who other delegates and the engine do not
    see, as the check-in list does (directory/domain/visibility.py)."""
    from superconnector.directory.models import EventOrganisation, Person, ReviewStatus

    Person.objects.filter(participations__key="p1").update(profile_hidden=True)
    link = Participant.objects.get(key="p3").event_organisation
    EventOrganisation.objects.filter(pk=link.pk).update(review_status=ReviewStatus.PENDING)
    response = orga_client.get(
        reverse("backoffice:export", args=[event.slug, "participants", "csv"])
    )
    rows = {
        row["key"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert rows["p1"]["not_listed"] == "withdrew the profile consent"
    assert rows["p3"]["not_listed"] == "organisation awaiting review"
    colleagues = Participant.objects.filter(event_organisation=link).values_list("key", flat=True)
    listed = set(rows) - {"p1", *colleagues}
    assert listed and all(rows[key]["not_listed"] == "" for key in listed)
