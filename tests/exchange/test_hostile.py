"""Hostile files: every one ends in a list of problems naming where, never in a crash, and
nothing is written, on SQLite and on PostgreSQL alike (the suite runs on both)."""

import copy
import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from superconnector.directory.models import Organisation, Participant, Person
from superconnector.exchange.document import parse_json, read_document
from superconnector.exchange.importer import import_document, import_file_content
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import import_delegate_list
from superconnector.meetings.models import MeetingRequest

pytestmark = pytest.mark.django_db


def refused(content, **options) -> list[tuple[str, str]]:
    """Import `content` (a dict is sent as JSON text) and return the problems' (path, message)."""
    text = content if isinstance(content, str) else json.dumps(content)
    with pytest.raises(ImportRejected) as rejected:
        import_file_content(text.encode(), **options)
    return [(p.path, p.message) for p in rejected.value.problems]


def with_change(document: dict, list_name: str, index: int, field: str, value) -> dict:
    changed = copy.deepcopy(document)
    target = changed[list_name] if list_name == "event" else changed[list_name][index]
    target[field] = value
    return changed


@pytest.mark.parametrize("text", ['"a string"', "[1, 2, 3]", "42", "null"])
def test_a_document_that_is_not_an_object(text):
    assert refused(text) == [("$", "the document must be a JSON object")]


def test_deep_nesting_is_refused_at_once_naming_where(document):
    text = json.dumps(document).replace(
        '"organisations": [', '"organisations": [' + "[" * 900 + "]" * 900 + ", ", 1
    )
    began = time.monotonic()
    [(path, message)] = refused(text)
    assert time.monotonic() - began < 1
    assert path.startswith("$.organisations[0][0]") and "nested more than 12 levels" in message
    # Deeper than the decoder's own stack: refused as well, not a RecursionError.
    assert refused("[" * 100_000 + "]" * 100_000) == [
        ("$", "invalid JSON: nested too deeply to be an exchange document")
    ]


def test_a_deeply_nested_structure_passed_as_data_is_refused_too(document):
    nested: list = []
    for _ in range(5000):
        nested = [nested]
    document["organisations"][0]["sectors"] = nested
    with pytest.raises(ImportRejected) as rejected:
        read_document(document)
    assert "nested more than" in rejected.value.problems[0].message


def test_a_key_given_twice_is_an_error_naming_it(document):
    text = json.dumps(document).replace(
        '"email": "Amy.Leung@example.com"',
        '"email": "Amy.Leung@example.com", "email": "someone.else@example.com"',
    )
    assert refused(text) == [
        (
            "$.participants[0].email",
            "this key appears more than once in the same object; give it once",
        )
    ]
    assert parse_json('{"a": 1, "b": 2}') == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("list_name", "field"),
    [
        ("event", "name"),
        ("event", "venue"),
        ("organisations", "description"),
        ("participants", "name"),
        ("participants", "phone"),
        ("opportunities", "title"),
        ("meeting_requests", "message"),
    ],
)
def test_a_nul_character_is_refused_wherever_it_is(document, list_name, field):
    """PostgreSQL cannot store NUL (the import was a 500 there, and stored on SQLite)."""
    bad = with_change(document, list_name, 1, field, "Harbour\x00Law")
    where = "$.event" if list_name == "event" else f"$.{list_name}[1]"
    assert refused(bad) == [
        (f"{where}.{field}", "contains a NUL character (\\u0000), which no text may contain")
    ]
    assert not Person.objects.exists()


def test_a_nul_character_in_a_key_is_named_without_it(document):
    document["participants"][2]["note\x00"] = "x"
    [(path, message)] = refused(document)
    assert path == "$.participants[2].note\\x00" and "\x00" not in path + message


def test_a_nul_character_in_a_list_value(document):
    document["organisations"][0]["sectors"] = ["ai", "bio\x00tech"]
    assert refused(document)[0][0] == "$.organisations[0].sectors[1]"


@pytest.mark.parametrize(
    ("list_name", "field", "limit"),
    [
        ("participants", "name", 200),
        ("participants", "title", 200),
        ("participants", "phone", 50),
        ("organisations", "name", 300),
        ("organisations", "region", 100),
        ("opportunities", "title", 300),
        ("meetings", "table", 64),
    ],
)
def test_text_longer_than_its_column_is_refused_with_the_limit(document, list_name, field, limit):
    fits = with_change(document, list_name, 0, field, "x" * limit)
    import_document(fits, dry_run=True)  # exactly the column's max_length is fine
    huge = with_change(document, list_name, 0, field, "x" * 5_000_000)
    problems = refused(huge)
    assert (
        f"$.{list_name}[0].{field}",
        f"is 5,000,000 characters long; at most {limit:,} fit",
    ) in problems
    assert all(len(message) < 500 for _path, message in problems)
    assert not Organisation.objects.exists()


def test_an_event_name_longer_than_its_column(document):
    problems = refused(with_change(document, "event", 0, "name", "n" * 301))
    assert problems == [("$.event.name", "is 301 characters long; at most 300 fit")]


@pytest.mark.parametrize(
    ("list_name", "field"),
    [
        ("event", "name"),
        ("event", "name_zh"),
        ("organisations", "name"),
        ("organisations", "name_zh"),
        ("participants", "name"),
        ("participants", "title"),
        ("opportunities", "title"),
    ],
)
@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n"])
def test_a_line_break_in_what_reaches_a_mail_header_is_refused(
    document, list_name, field, line_break
):
    bad = with_change(document, list_name, 0, field, f"Amy{line_break}Bcc: all@example.com")
    where = "$.event" if list_name == "event" else f"$.{list_name}[0]"
    problems = refused(bad)
    assert (
        where + f".{field}",
        "contains a line break; names and titles go into e-mail headers and must be on one line",
    ) in problems
    assert not Participant.objects.exists()


def test_line_breaks_stay_allowed_in_descriptions_and_messages(document):
    document["organisations"][0]["description"] = "First line.\nSecond line."
    document["meeting_requests"][0]["message"] = "Hello,\r\nshall we meet?"
    assert import_document(document).changed
    # Stored with their line breaks, not refused, stripped or joined.
    description = Organisation.objects.get(name="Harbour Law LLP").description
    message = MeetingRequest.objects.get(key="r1").message
    assert description == "First line.\nSecond line."
    assert message.splitlines() == ["Hello,", "shall we meet?"]


def test_the_command_line_names_the_problem(tmp_path, document):
    path = tmp_path / "event.json"
    path.write_text(
        json.dumps(with_change(document, "participants", 3, "name", "Li\x00Na")), encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"\$\.participants\[3\]\.name: contains a NUL"):
        call_command("import", str(path))


# --- spreadsheets ---------------------------------------------------------------------------


def sheet_refused(event_slug: str, rows: list[list[str]]) -> list[tuple[str, str]]:
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows)
    with pytest.raises(ImportRejected) as rejected:
        import_delegate_list(text.encode(), "delegates.csv", event_slug)
    return [(p.path, p.message) for p in rejected.value.problems]


HEADER = ["name", "job title", "email", "organisation", "phone"]


@pytest.fixture
def event_slug(document) -> str:
    import_document(document)
    return document["event"]["slug"]


def test_a_sheet_cell_with_a_nul_character(event_slug):
    before = Person.objects.count()
    problems = sheet_refused(
        event_slug, [HEADER, ["Chan\x00Tai Man", "CEO", "chan@example.com", "Harbour", ""]]
    )
    assert problems == [
        ("row 2, column name (name)", "contains a NUL character, which no text may")
    ]
    assert Person.objects.count() == before


def test_a_sheet_cell_longer_than_its_column(event_slug):
    problems = sheet_refused(
        event_slug,
        [
            HEADER,
            ["N" * 201, "CEO", "chan@example.com", "Harbour", ""],
            ["Wong", "CEO", "wong@example.com", "O" * 301, "1" * 51],
        ],
    )
    assert problems == [
        ("row 2, column name (name)", "is 201 characters long; at most 200 fit"),
        ("row 3, column organisation (organisation)", "is 301 characters long; at most 300 fit"),
        ("row 3, column phone (phone)", "is 51 characters long; at most 50 fit"),
    ]


def test_a_5_mb_sheet_cell(event_slug):
    problems = sheet_refused(
        event_slug, [HEADER, ["N" * 5_000_000, "CEO", "chan@example.com", "Harbour", ""]]
    )
    assert problems == [
        ("line 2", "a cell there is longer than 131,072 characters, far more than any column holds")
    ]


@pytest.mark.parametrize("column", ["name", "job title", "organisation"])
def test_a_sheet_cell_with_a_line_break_in_a_name_or_title(event_slug, column):
    row = {
        "name": "Chan",
        "job title": "CEO",
        "email": "chan@example.com",
        "organisation": "Harbour",
    }
    row[column] += "\nBcc: all@example.com"
    problems = sheet_refused(event_slug, [HEADER, [*row.values(), ""]])
    field = {"job title": "title"}.get(column, column)
    assert problems == [
        (
            f"row 2, column {column} ({field})",
            "contains a line break; names and titles go into e-mail headers and must be on one line",
        )
    ]
