"""Imports fold sectors and regions given in Chinese, or by any known name, into the same tags
as their codes and canonical names: 北京 is Beijing, 人工智能 is ai (directory/labels.py)."""

import copy

import pytest

from superconnector.directory.models import Opportunity, Organisation, ProposedChange
from superconnector.events.models import Event
from superconnector.exchange.importer import import_document
from superconnector.exchange.spreadsheet import import_delegate_list

pytestmark = pytest.mark.django_db


def in_chinese(document: dict) -> dict:
    """The test document with Zhiyuan's region and sectors, and o1's, written in Chinese."""
    chinese = copy.deepcopy(document)
    zhiyuan = next(o for o in chinese["organisations"] if o["key"] == "zhiyuan")
    zhiyuan.update(region="北京市", sectors=["人工智能", "金融科技", "Quantum Sensing"])
    o1 = next(o for o in chinese["opportunities"] if o["key"] == "o1")
    o1.update(sectors=["人工智慧", "AI"], regions=["香港", "深圳", "Hong Kong SAR"])
    return chinese


def test_a_document_in_chinese_is_stored_as_codes_and_canonical_names(document):
    import_document(in_chinese(document))
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI")
    assert zhiyuan.region == "Beijing"
    assert zhiyuan.sectors == ["ai", "fintech", "quantum_sensing"]  # the unknown one kept
    o1 = Opportunity.objects.get(key="o1")
    assert o1.sectors == ["ai"]
    assert o1.regions == ["Hong Kong", "Shenzhen"]
    harbour = Organisation.objects.get(name="Harbour Law LLP")
    assert harbour.sectors == ["legal", "ip"]  # "Legal" is the legal sector's name


def test_the_same_values_in_english_then_change_nothing(document):
    import_document(in_chinese(document))
    english = copy.deepcopy(document)
    zhiyuan = next(o for o in english["organisations"] if o["key"] == "zhiyuan")
    zhiyuan["sectors"] = ["ai", "fintech", "quantum_sensing"]
    o1 = next(o for o in english["opportunities"] if o["key"] == "o1")
    o1.update(sectors=["ai"], regions=["Hong Kong", "Shenzhen"])
    report = import_document(english)
    assert report.tallies["organisations"].updated == 0
    assert report.tallies["opportunities"].updated == 0
    assert not report.changed


def test_another_events_list_naming_the_region_in_chinese_proposes_nothing(document):
    import_document(document)  # Zhiyuan AI, Beijing, owned by the first event
    other = copy.deepcopy(document)
    other["event"].update(slug="sz-2027", name="Shenzhen Forum", name_zh=None)
    zhiyuan = next(o for o in other["organisations"] if o["key"] == "zhiyuan")
    zhiyuan.update(region="北京", sectors=["人工智能"])
    import_document(other)
    assert not ProposedChange.objects.filter(field__in=["region", "sectors"]).exists()
    assert Organisation.objects.get(name="Zhiyuan AI").region == "Beijing"


def test_a_delegate_list_with_chinese_sectors_and_regions_folds_them(document):
    import_document(document)
    event = Event.objects.get()
    text = (
        "姓名,电邮,机构,地区,行业\r\n"
        "王建国,wang.jianguo@example.com,北京智源科技有限公司,北京,人工智能、金融科技\r\n"
        "黄志明,wong.chiming@example.com,九龍商業銀行,香港特別行政區,人工智慧\r\n"
    )
    import_delegate_list(text.encode("utf-8"), "delegates.csv", event.slug)
    zhiyuan = Organisation.objects.get(name="北京智源科技有限公司")
    assert (zhiyuan.region, zhiyuan.sectors) == ("Beijing", ["ai", "fintech"])
    bank = Organisation.objects.get(name="九龍商業銀行")
    assert (bank.region, bank.sectors) == ("Hong Kong", ["ai"])
