"""Sectors and regions stored before folding are folded once by a data migration."""

import importlib

import pytest
from django.apps import apps

from superconnector.directory.models import Opportunity, Organisation
from superconnector.exchange.importer import import_document

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "superconnector.directory.migrations.0009_sectors_and_regions_folded"
)


def test_stored_chinese_and_aliases_are_folded_and_unknown_values_kept(document):
    import_document(document)
    # .update() writes as before this change, without the models' save().
    Organisation.objects.filter(name="Zhiyuan AI").update(
        region="北京市", sectors=["人工智能", "AI", "Quantum Sensing"]
    )
    Organisation.objects.filter(name="Harbour Law LLP").update(region="Zhongguancun")
    Opportunity.objects.filter(key="o1").update(sectors=["金融科技"], regions=["香港", "深圳市"])
    migration.fold_stored_values(apps, None)
    zhiyuan = Organisation.objects.get(name="Zhiyuan AI")
    assert (zhiyuan.region, zhiyuan.sectors) == ("Beijing", ["ai", "quantum_sensing"])
    assert Organisation.objects.get(name="Harbour Law LLP").region == "Zhongguancun"
    o1 = Opportunity.objects.get(key="o1")
    assert (o1.sectors, o1.regions) == (["fintech"], ["Hong Kong", "Shenzhen"])
