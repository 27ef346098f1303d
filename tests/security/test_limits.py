"""Request size limits: oversized bodies are refused early, imports keep their own clear
limits (settings.py, docs/security.md)."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from superconnector.api.domain.tokens import issue_token
from superconnector.events.domain.access import add_organiser
from superconnector.exchange.models import StagedImport
from superconnector.exchange.spreadsheet import MAX_ROWS
from superconnector.meetings.models import MeetingRequest
from tests.factories import EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# Over the 1 MB limit of non-file data, under Django's default of 2.5 MB: accepted without
# the setting.
OVERSIZED = 1536 * 1024


@pytest.fixture
def event():
    return EventFactory(slug="expo")


@pytest.fixture
def orga_client(event, django_user_model):
    user = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, user)
    client = Client()
    client.force_login(user)
    return client


def csv_upload(name: str, rows: int, notes: int = 0) -> io.BytesIO:
    """A delegate list; `notes` characters per row in a column the import ignores."""
    lines = ["name,title,email,organisation,phone,notes"]
    lines += [
        f"Delegate {n:06d},Head of Business Development,delegate{n:06d}@example.com,"
        f"Organisation {n:06d} Holdings Limited,+852 5555 {n % 10000:04d},{'n' * notes}"
        for n in range(rows)
    ]
    file = io.BytesIO(("\n".join(lines) + "\n").encode())
    file.name = name
    return file


def test_an_oversized_form_body_is_refused_before_it_is_read():
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"username": "amy@example.com", "password": "x" * OVERSIZED}
    )
    assert response.status_code == 413 and "too large" in response.text


def test_an_oversized_api_body_is_refused_and_changes_nothing(event):
    amy = ParticipantFactory(event=event, key="amy")
    ParticipantFactory(event=event, key="ben")
    token = issue_token("amy", event=event, participant=amy)[1]
    client = Client(raise_request_exception=False)

    def send(message: str):
        return client.post(
            f"/api/v1/events/{event.slug}/meeting-requests",
            json.dumps({"recipient": "ben", "message": message}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    refused = send("x" * OVERSIZED)
    assert refused.status_code == 413 and refused.json()["code"] == "request_too_large"
    assert not MeetingRequest.objects.exists()
    assert send("Shall we meet about your listing?").status_code == 201


def test_many_files_in_one_request_are_refused(orga_client, event):
    files = [
        csv_upload(f"list-{n}.csv", 1) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    orga_client.raise_request_exception = False
    response = orga_client.post(reverse("backoffice:import", args=[event.slug]), {"file": files})
    assert response.status_code == 413 and "10 files" in response.text
    assert not StagedImport.objects.exists()


def test_an_upload_larger_than_form_data_may_be_still_reaches_the_import(orga_client, event):
    # Files do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE; this one is also spooled to
    # disk (FILE_UPLOAD_MAX_MEMORY_SIZE) while the request is read.
    file = csv_upload("delegates.csv", 200, notes=30_000)
    assert file.getbuffer().nbytes > settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    response = orga_client.post(
        reverse("backoffice:import", args=[event.slug]), {"file": file}, follow=True
    )

    assert response.status_code == 200
    assert StagedImport.objects.get().ok, StagedImport.objects.get().report


def test_a_list_over_the_row_cap_is_refused_for_its_rows_not_its_size(orga_client, event):
    file = csv_upload("delegates.csv", MAX_ROWS + 1)
    # Long rows, and still well inside the import's byte cap and the proxy's.
    assert file.getbuffer().nbytes < settings.SUPERCONNECTOR_MAX_IMPORT_BYTES / 2

    response = orga_client.post(
        reverse("backoffice:import", args=[event.slug]), {"file": file}, follow=True
    )

    assert response.status_code == 200
    assert "more than 100,000 rows; split the list into smaller files" in response.text
    assert not StagedImport.objects.get().ok


def test_a_file_over_the_import_cap_gets_the_imports_own_message(orga_client, event, settings):
    settings.SUPERCONNECTOR_MAX_IMPORT_BYTES = 2 * 1024 * 1024
    file = csv_upload("delegates.csv", 100, notes=30_000)  # 3 MB

    response = orga_client.post(reverse("backoffice:import", args=[event.slug]), {"file": file})

    assert response.status_code == 200
    assert "The file is larger than 2 MB." in response.text
    assert not StagedImport.objects.exists()


def test_a_malformed_session_cookie_is_no_session_not_an_error(client):
    """A NUL in the session cookie reached PostgreSQL, which refuses it: 500 on every page."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefghij\x00kl"
    assert client.get("/").status_code == 200
    client.cookies[settings.SESSION_COOKIE_NAME] = "../../etc/passwd"
    assert client.get("/orga/").status_code == 302
