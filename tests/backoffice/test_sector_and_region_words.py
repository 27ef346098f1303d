"""The back office shows sectors and regions as words in the organiser's language: profile
detail, the profile list and the dashboard's charts (directory/labels.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from superconnector.backoffice.domain.dashboard import build_dashboard
from superconnector.directory.models import Organisation

pytestmark = pytest.mark.django_db


def chinese_page(client, url: str) -> str:
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"<[^>]*>", " ", response.text)


def test_the_profile_detail_and_list_in_chinese(orga_client, event):
    Organisation.objects.filter(name="Zhiyuan AI").update(sectors=["ai", "low_altitude"])
    detail = chinese_page(
        orga_client, reverse("backoffice:profile-detail", args=[event.slug, "zhiyuan"])
    )
    assert "北京 · 人工智能、低空经济" in detail
    assert "low_altitude" not in detail
    listing = chinese_page(orga_client, reverse("backoffice:profiles", args=[event.slug]))
    assert " 北京 " in listing and " 香港 " in listing
    assert "Beijing" not in listing


def test_the_dashboard_counts_one_tag_per_place_and_sector_in_the_readers_words(event):
    # A value stored before folding counts with its canonical form.
    Organisation.objects.filter(name="Zhiyuan AI").update(region="北京市", sectors=["人工智能"])
    with translation.override("zh-hans"):
        d = build_dashboard(event)
    assert {bar.label: bar.value for bar in d.by_region.bars} == {"北京": 2, "香港": 2}
    assert {bar.label: bar.value for bar in d.by_sector.bars} == {
        "人工智能": 2,
        "法律服务": 1,
        "知识产权": 1,
        "金融": 1,
    }
