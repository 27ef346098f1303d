"""Sectors and regions read as words in the reader's language on every page that shows them,
never as raw codes (`advanced_manufacturing`); the profile form shows them so and saves the
codes back unchanged (directory/labels.py, the `labels` template filters)."""

import re

import pytest

from superconnector.directory.models import Opportunity, Organisation, ProposedChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(event):
    """Zhiyuan AI: Beijing, ai and advanced manufacturing; o1 in Hong Kong and Shenzhen."""
    Organisation.objects.filter(name="Zhiyuan AI").update(
        sectors=["ai", "advanced_manufacturing"], region="Beijing"
    )
    Opportunity.objects.filter(key="o1").update(
        sectors=["advanced_manufacturing"], regions=["Hong Kong", "Shenzhen"]
    )
    return event


def chinese_page(client, url: str, **query) -> str:
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url, query)
    assert response.status_code == 200
    return response.text


def shown(html: str) -> str:
    """The page's text as read: without its tags (a filter's option keeps the code as its
    value, which no one reads)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_directory_cards_in_chinese_show_chinese_sectors_and_regions(amy_client, tagged):
    url = f"/events/{tagged.slug}/directory/"
    organisations = chinese_page(amy_client, url, show="organisations")
    assert "人工智能、先进制造" in organisations
    assert "企业 · 北京" in organisations
    opportunities = chinese_page(amy_client, url, show="opportunities")
    assert "先进制造 · 香港、深圳" in opportunities
    for text in (organisations, opportunities):
        assert "advanced_manufacturing" not in shown(text)
        assert "Advanced manufacturing" not in shown(text)


def test_the_directory_filters_offer_sectors_and_regions_as_words(amy_client, tagged):
    text = chinese_page(amy_client, f"/events/{tagged.slug}/directory/")
    assert '<option value="advanced_manufacturing">先进制造</option>' in text
    assert '<option value="Beijing">北京</option>' in text


def test_the_organisation_page_in_chinese(amy_client, tagged):
    text = chinese_page(amy_client, f"/events/{tagged.slug}/organisations/zhiyuan/")
    assert "企业 · 北京 · 人工智能、先进制造" in text
    assert "先进制造 · 香港、深圳" in text  # o1's card
    assert "advanced_manufacturing" not in shown(text)


def test_the_organisation_page_in_english_shows_words_not_codes(amy_client, tagged):
    amy_client.cookies["django_language"] = "en"
    text = amy_client.get(f"/events/{tagged.slug}/organisations/zhiyuan/").text
    assert "Beijing · Artificial intelligence, Advanced manufacturing" in text
    assert "advanced_manufacturing" not in shown(text)


def test_the_profile_form_shows_words_and_saves_the_codes_back(amy_client, event):
    """Amy's Harbour Law: legal and ip, in Hong Kong. The form reads them in Chinese; saving
    the form as shown changes nothing and proposes nothing."""
    text = chinese_page(amy_client, f"/events/{event.slug}/profile/")
    assert 'value="法律服务、知识产权"' in text
    assert 'name="region" value="香港"' in text
    response = amy_client.post(
        f"/events/{event.slug}/profile/",
        {
            "name": "Harbour Law LLP",
            "name_zh": "",
            "kind": "service_provider",
            "region": "香港",
            "sectors": "法律服务、知识产权",
            "website": "https://harbour-law.example.com",
            "description": "Cross-border listing and IP law.",
            "language": "en",
        },
    )
    assert response.status_code == 302
    harbour = Organisation.objects.get(name="Harbour Law LLP")
    assert (harbour.region, harbour.sectors) == ("Hong Kong", ["legal", "ip"])
    assert not ProposedChange.objects.exists()


# Tags the glossary's concepts do not already bridge: their names come from directory/labels.py.
@pytest.mark.parametrize(
    ("code", "query"),
    [
        ("culture_creative", "文化创意"),
        ("culture_creative", "文化創意"),
        ("culture_creative", "creative industries"),
        ("tax", "税务"),
    ],
)
def test_a_search_in_either_language_finds_a_sector_tag(amy_client, event, code, query):
    Organisation.objects.filter(name="Kowloon Commercial Bank").update(sectors=[code])
    url = f"/events/{event.slug}/directory/"
    response = amy_client.get(url, {"show": "organisations", "q": query})
    found = [link.key for link in response.context["page"].items]
    assert found == ["kowloon-bank"], query
