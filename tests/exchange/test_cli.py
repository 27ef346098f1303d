"""`superconnector import` and `superconnector export` as a user runs them."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from superconnector.events.models import Event

pytestmark = pytest.mark.django_db


def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def test_import_then_export_through_the_commands(tmp_path, document, capsys):
    source = write(tmp_path, "event.json", document)
    call_command("import", source)
    assert "organisations: 3 created" in capsys.readouterr().out
    call_command("import", source)
    assert "Nothing changed." in capsys.readouterr().out
    target = tmp_path / "out.json"
    call_command("export", "bj-hk-2026", "-o", str(target))
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["format"] == "superconnector/v1"
    assert len(exported["participants"]) == 4


def test_export_to_standard_output(document, capsys):
    from superconnector.exchange.importer import import_document

    import_document(document)
    call_command("export", "bj-hk-2026")
    assert json.loads(capsys.readouterr().out)["event"]["slug"] == "bj-hk-2026"


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError, match="no such file") as caught:
        call_command("import", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2


def test_an_unknown_event_to_export_names_the_known_ones(document):
    from superconnector.exchange.importer import import_document

    import_document(document)
    with pytest.raises(CommandError, match=r'no event with slug "nope".*bj-hk-2026'):
        call_command("export", "nope")


def test_a_broken_document_fails_with_every_problem_and_writes_nothing(tmp_path, document):
    document["participants"][0]["email"] = "bad"
    document["meeting_requests"][0]["to"] = "ghost"
    source = write(tmp_path, "broken.json", document)
    with pytest.raises(CommandError) as caught:
        call_command("import", source)
    message = str(caught.value)
    assert caught.value.returncode == 1
    assert "2 problems found" in message
    assert "$.participants[0].email" in message and "$.meeting_requests[0].to" in message
    assert not Event.objects.exists()


def test_unknown_file_types_and_lists_without_an_event_are_refused(tmp_path):
    with pytest.raises(CommandError, match="unknown file type"):
        call_command("import", write(tmp_path, "event.yaml", "a: 1"))
    with pytest.raises(CommandError, match="needs --event"):
        call_command("import", write(tmp_path, "delegates.csv", "name,email\n"))


def test_lenient_and_dry_run_flags(tmp_path, document, capsys):
    document["organisations"][0]["colour"] = "red"
    source = write(tmp_path, "event.json", document)
    with pytest.raises(CommandError, match="unknown field"):
        call_command("import", source)
    call_command("import", source, "--lenient", "--dry-run")
    out = capsys.readouterr().out
    assert "Would import" in out and "unknown field, ignored" in out
    assert not Event.objects.exists()


def test_done_when_a_few_hundred_organisations_round_trip(tmp_path, capsys):
    """The issue's acceptance flow, through the commands, on ~300 organisations."""
    from superconnector.engine.synthetic import generate_event
    from tests.exchange.test_roundtrip import clear_database

    document = generate_event(500, seed=11, tables=60)
    assert len(document["organisations"]) >= 300
    source = write(tmp_path, "fair.json", document)
    call_command("import", source)
    capsys.readouterr()
    call_command("import", source)
    assert capsys.readouterr().out.rstrip().endswith("Nothing changed.")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export", document["event"]["slug"], "-o", str(first))
    clear_database()
    call_command("import", str(first))
    call_command("export", document["event"]["slug"], "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_json_output_for_other_systems(tmp_path, document, capsys):
    source = write(tmp_path, "event.json", document)
    call_command("import", source, "--json")
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["ok"] and outcome["tallies"]["participants"]["created"] == 4
    document["participants"][0]["email"] = "bad"
    broken = write(tmp_path, "broken.json", document)
    with pytest.raises(CommandError):
        call_command("import", broken, "--json")
    outcome = json.loads(capsys.readouterr().out)
    assert outcome == {
        "ok": False,
        "source": broken,
        "problems": [
            {"path": "$.participants[0].email", "message": "'bad' is not a valid e-mail address"}
        ],
    }


def test_export_names_the_confidential_opportunities_it_cannot_mark(document, capsys):
    from superconnector.directory.models import Opportunity
    from superconnector.exchange.importer import import_document

    import_document(document)
    call_command("export", "bj-hk-2026")
    assert "confidential" not in capsys.readouterr().err
    key = document["opportunities"][0]["key"]
    Opportunity.objects.filter(key=key).update(confidential=True)

    call_command("export", "bj-hk-2026")

    err = capsys.readouterr().err
    assert f"1 confidential opportunity ({key}) is exported without that mark" in err
