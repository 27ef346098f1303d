"""A person's Chinese name (name_zh, exchange format additions of 2026-12): stored, exported,
re-imported, read from a delegate list's 中文姓名 / 中文名 column, never erased by a blank."""

import copy

import pytest

from superconnector.directory.models import Person
from superconnector.events.models import Event
from superconnector.exchange.exporter import export_event
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import import_delegate_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_chinese_name(document):
    document["participants"][1]["name_zh"] = "张伟"
    return document


def test_name_zh_is_stored_and_exported(with_chinese_name):
    import_document(with_chinese_name)
    assert Person.objects.get(email="zhang.wei@example.com").name_zh == "张伟"
    exported = {p["key"]: p for p in export_event(Event.objects.get())["participants"]}
    assert exported["p2"]["name_zh"] == "张伟"
    assert exported["p1"]["name_zh"] is None  # none given: exported as absent (null)


def test_an_export_with_name_zh_round_trips(with_chinese_name):
    import_document(with_chinese_name)
    first = export_event(Event.objects.get())
    Event.objects.all().delete()
    Person.objects.all().delete()
    import_document(copy.deepcopy(first))
    assert export_event(Event.objects.get()) == first


def test_a_blank_name_zh_never_erases_one(with_chinese_name):
    import_document(copy.deepcopy(with_chinese_name))
    with_chinese_name["participants"][1]["name_zh"] = ""
    import_document(with_chinese_name)
    assert Person.objects.get(email="zhang.wei@example.com").name_zh == "张伟"


def test_a_changed_name_zh_updates_the_person(with_chinese_name):
    import_document(copy.deepcopy(with_chinese_name))
    with_chinese_name["participants"][1]["name_zh"] = "張偉"
    import_document(with_chinese_name)
    assert Person.objects.get(email="zhang.wei@example.com").name_zh == "張偉"


def test_a_name_zh_with_a_line_break_is_refused(document):
    document["participants"][1]["name_zh"] = "张\n伟"
    with pytest.raises(ImportRejected) as caught:
        import_document(document)
    assert any(p.path == "$.participants[1].name_zh" for p in caught.value.problems)


def test_a_name_zh_longer_than_its_column_is_refused(document):
    document["participants"][1]["name_zh"] = "张" * 201
    with pytest.raises(ImportRejected) as caught:
        import_document(document)
    assert any(p.path == "$.participants[1].name_zh" for p in caught.value.problems)


@pytest.mark.parametrize("header", ["中文姓名", "中文名", "Chinese name"])
def test_a_delegate_list_reads_the_chinese_name_column(document, header):
    import_document(document)
    event = Event.objects.get()
    rows = [
        ["Name", header, "Company", "E-mail"],
        ["Chen Haoran", "陈浩然", "Zhiyuan AI", "chen.haoran@example.com"],
    ]
    data = ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode("utf-8")
    import_delegate_list(data, "list.csv", event.slug)
    person = Person.objects.get(email="chen.haoran@example.com")
    assert (person.name, person.name_zh) == ("Chen Haoran", "陈浩然")


def test_a_delegate_list_without_the_column_keeps_the_chinese_name(with_chinese_name):
    import_document(with_chinese_name)
    event = Event.objects.get()
    data = b"Name,Company,E-mail\r\nZhang Wei,Zhiyuan,zhang.wei@example.com\r\n"
    import_delegate_list(data, "list.csv", event.slug)
    assert Person.objects.get(email="zhang.wei@example.com").name_zh == "张伟"
