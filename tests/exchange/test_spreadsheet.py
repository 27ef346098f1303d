"""Delegate lists in CSV (UTF-8, UTF-8 with BOM, GBK, Big5) and XLSX, headers in English or Chinese."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from superconnector.directory.models import Organisation, Participant
from superconnector.exchange.importer import import_document
from superconnector.exchange.problems import ImportRejected
from superconnector.exchange.spreadsheet import decode_csv, import_delegate_list

pytestmark = pytest.mark.django_db

SIMPLIFIED = [
    ["姓名", "职位", "机构", "电邮", "电话", "机构类型", "地区"],
    [
        "王建国",
        "总经理",
        "北京智源科技有限公司",
        "wang.jianguo@example.com",
        "+86 10 5555 0101",
        "企业",
        "北京",
    ],
    ["刘晓红", "投资总监", "京华创投", "liu.xiaohong@example.com", "", "投资机构", "北京"],
    ["陈志强", "首席技术官", "北京智源科技有限公司", "chen.zhiqiang@example.com", "", "", ""],
]
TRADITIONAL = [
    ["姓名", "職位", "機構", "電郵", "電話"],
    ["梁家欣", "合夥人", "維港律師事務所", "leung.kayan@example.com", "+852 5555 0102"],
    ["黃志明", "董事總經理", "九龍商業銀行", "wong.chiming@example.com", "+852 5555 0103"],
]


def csv_bytes(rows, encoding: str) -> bytes:
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    return text.encode(encoding)


@pytest.fixture
def event(document):
    import_document(document)
    from superconnector.events.models import Event

    return Event.objects.get()


@pytest.mark.parametrize(
    ("rows", "encoding"),
    [
        (SIMPLIFIED, "utf-8"),
        (SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "big5"),
        (TRADITIONAL, "utf-8-sig"),
    ],
)
def test_csv_in_each_encoding_is_read_correctly(event, rows, encoding):
    report = import_delegate_list(csv_bytes(rows, encoding), "delegates.csv", event.slug)
    people = len(rows) - 1
    assert report.tallies["participants"].created == people
    first = Participant.objects.select_related("person").get(person__email=rows[1][3])
    assert first.person.name == rows[1][0]
    assert first.person.title == rows[1][1]
    assert first.event_organisation.organisation.name == rows[1][2]


def test_gbk_and_big5_are_told_apart():
    assert decode_csv(csv_bytes(SIMPLIFIED, "gbk"))[1] == "gb18030"
    assert decode_csv(csv_bytes(TRADITIONAL, "big5"))[1] == "big5hkscs"
    assert decode_csv(csv_bytes(TRADITIONAL, "big5"))[0].startswith("姓名,職位,機構")


def test_organisations_are_grouped_and_typed_from_the_list(event):
    import_delegate_list(csv_bytes(SIMPLIFIED, "utf-8"), "delegates.csv", event.slug)
    zhiyuan = Organisation.objects.get(name="北京智源科技有限公司")
    assert zhiyuan.participations.get().participants.count() == 2
    assert zhiyuan.kind == "enterprise" and zhiyuan.region == "Beijing"  # 北京, folded
    assert Organisation.objects.get(name="京华创投").kind == "investor"


def test_importing_the_same_list_twice_changes_nothing(event):
    data = csv_bytes(SIMPLIFIED, "gbk")
    import_delegate_list(data, "delegates.csv", event.slug)
    assert not import_delegate_list(data, "delegates.csv", event.slug).changed


def test_a_list_updates_existing_delegates_and_keeps_profile_fields(event):
    rows = [
        ["Name", "Job Title", "Company", "E-mail", "Type"],
        [
            "Peter Ho",
            "Managing Director",
            "Kowloon Commercial Bank",
            "PETER.HO@example.com",
            "Bank",
        ],
    ]
    report = import_delegate_list(csv_bytes(rows, "utf-8"), "list.csv", event.slug)
    assert report.tallies["participants"].updated == 1
    participant = Participant.objects.select_related("person").get(key="p3")  # same key kept
    assert participant.person.title == "Managing Director"
    organisation = participant.event_organisation.organisation
    assert organisation.description == "跨境人民幣結算及貿易融資。"  # not in the list: kept


def test_semicolon_separated_csv_from_european_excel(event):
    text = "Name;Email;Organisation\nAnna Weber;anna.weber@example.com;Rhein Logistik GmbH\n"
    report = import_delegate_list(text.encode("utf-8"), "list.csv", event.slug)
    assert report.tallies["participants"].created == 1


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_traditional_headers_and_numeric_phones(event):
    rows = [
        TRADITIONAL[0],
        ["梁家欣", "合夥人", "維港律師事務所", "leung.kayan@example.com", 85255550102],
    ]
    import_delegate_list(xlsx_bytes(rows), "delegates.xlsx", event.slug)
    person = Participant.objects.get(person__email="leung.kayan@example.com").person
    assert person.phone == "85255550102"


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(event):
    rows = [
        ["姓名", "機構", "電郵", "角色"],
        ["甲", "機構甲", "not-an-email", ""],
        ["", "機構乙", "b@example.com", ""],
        ["丙", "機構丙", "b@example.com", "boss"],
    ]
    before = Participant.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(csv_bytes(rows, "utf-8"), "list.csv", event.slug)
    problems = {p.path: p.message for p in caught.value.problems}
    assert "not a valid e-mail" in problems["row 2, column 電郵 (email)"]
    assert problems["row 3, column 姓名 (name)"] == "is empty"
    assert "also on row 3" in problems["row 4, column 電郵 (email)"]
    assert "unknown role 'boss'" in problems["row 4, column 角色 (role)"]
    assert Participant.objects.count() == before


def test_missing_required_columns_are_named(event):
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(
            csv_bytes([["Name", "Phone"], ["A", "1"]], "utf-8"), "x.csv", event.slug
        )
    messages = " ".join(p.message for p in caught.value.problems)
    assert "no column for email" in messages and "no column for organisation" in messages
    assert "電郵" in messages


def test_unreadable_files_get_a_clear_error(event):
    with pytest.raises(ImportRejected, match="1 problem") as caught:
        import_delegate_list(b"PK\x03\x04 not really", "x.xlsx", event.slug)
    assert "not a valid .xlsx" in caught.value.problems[0].message
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(b"", "x.csv", event.slug)
    assert "empty" in caught.value.problems[0].message
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(b"a,b\n", "x.csv", "no-such-event")
    assert 'no event with slug "no-such-event"' in caught.value.problems[0].message


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_parsing(event, monkeypatch):
    from superconnector.exchange.spreadsheet import xlsx

    monkeypatch.setattr(xlsx, "MAX_XLSX_UNPACKED_BYTES", 10_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 1_000_000)
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(buffer.getvalue(), "bomb.xlsx", event.slug)
    assert "unpacks to" in caught.value.problems[0].message


def test_too_many_rows_are_refused(event, monkeypatch):
    from superconnector.exchange.spreadsheet import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [["Name", "Email", "Company"]] + [[f"P{i}", f"p{i}@example.com", "X"] for i in range(5)]
    with pytest.raises(ImportRejected) as caught:
        import_delegate_list(csv_bytes(rows, "utf-8"), "x.csv", event.slug)
    assert "more than 3 rows" in caught.value.problems[0].message


def test_command_imports_a_delegate_list(event, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "名单.csv"
    path.write_bytes(csv_bytes(SIMPLIFIED, "gbk"))
    call_command("import", str(path), "--event", event.slug)
    assert "participants: 3 created" in capsys.readouterr().out
