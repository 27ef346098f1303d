"""Hostile delegate lists: each gets a clear error naming what is wrong, and writes nothing."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from superconnector.directory.models import Participant, Person
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import MAX_ROWS, import_delegate_list

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row><c t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>"""


@pytest.fixture
def event(document):
    import_document(document)
    from superconnector.events.models import Event

    return Event.objects.get()


def unchanged(before: tuple[int, int]) -> bool:
    return (Person.objects.count(), Participant.objects.count()) == before


def counts() -> tuple[int, int]:
    return Person.objects.count(), Participant.objects.count()


def xlsx_with_sheet(xml: str) -> bytes:
    """A real workbook whose first sheet is replaced by `xml`."""
    book = Workbook()
    book.active.append(["Name", "Email", "Company"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_an_xml_entity_bomb_in_an_xlsx_is_refused(event):
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(xlsx_with_sheet(BILLION_LAUGHS), "bomb.xlsx", event.slug)
    message = caught.value.problems[0].message
    assert "xlsx" in message.lower(), message
    assert unchanged(before)


def test_broken_quotes_are_reported_by_row_and_nothing_is_written(event):
    before = counts()
    text = (
        'Name,Email,Company\r\nAmy,amy@example.com,"Harbour Law\r\nBob,bob@example.com,Kowloon\r\n'
    )
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(text.encode(), "broken.csv", event.slug)
    (problem,) = caught.value.problems
    assert problem.path == "line 3" and "quotes" in problem.message
    assert unchanged(before)


def test_bytes_in_no_known_encoding_get_a_clear_error(event):
    before = counts()
    garbage = bytes(range(128, 256)) * 40
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(b"Name,Email,Company\r\n" + garbage, "x.csv", event.slug)
    assert caught.value.problems and caught.value.problems[0].message
    assert unchanged(before)


def test_a_list_one_row_over_the_limit_is_refused_whole(event):
    before = counts()
    rows = ["Name,Email,Company"] + [
        f"P{i},p{i}@example.com,Org {i % 50}" for i in range(MAX_ROWS + 1)
    ]
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list("\r\n".join(rows).encode(), "huge.csv", event.slug)
    assert f"more than {MAX_ROWS:,} rows" in caught.value.problems[0].message
    assert unchanged(before)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_to_exhaust_the_decoder_is_refused_whole(event, opening):
    from superconnector.exchange.document import parse_json

    before = counts()
    with pytest.raises(ImportRejected) as caught:
        parse_json((opening * 200_000).encode(), "deep.json")
    (problem,) = caught.value.problems
    assert problem.path == "$" and "nested too deeply" in problem.message
    assert unchanged(before)


def test_the_back_office_reports_a_deeply_nested_json_upload(event, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from superconnector.exchange.models import StagedImport

    upload = SimpleUploadedFile("deep.json", b"[" * 200_000, content_type="application/json")
    response = admin_client.post(f"/orga/{event.slug}/import/", {"file": upload}, follow=True)
    assert response.status_code == 200 and "nested too deeply" in response.text
    assert not StagedImport.objects.filter(ok=True).exists()
