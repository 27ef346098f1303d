"""The language a text is written in reads in the reader's words (英文 in the Chinese
interface), while the language switcher keeps naming each language in itself.

The test event's opportunities: o1 Zhiyuan's need in Simplified Chinese, o2 Harbour Law's
(Amy's) offer in English, o3 Kowloon Bank's offer in Traditional Chinese."""

import re

import pytest

from superconnector.directory.models import Opportunity

pytestmark = pytest.mark.django_db

WORDS = {
    "zh-hans": {"en": "英文", "zh-Hans": "简体中文", "zh-Hant": "繁体中文"},
    "zh-hant": {"en": "英文", "zh-Hans": "簡體中文", "zh-Hant": "繁體中文"},
    "en": {"en": "English", "zh-Hans": "Simplified Chinese", "zh-Hant": "Traditional Chinese"},
}


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge">([^<]+)</span>', html)


def in_language(client, language: str):
    client.cookies["django_language"] = language
    return client


def chooser(html: str) -> list[str]:
    """The options of the page's own language field (in main, not the header's switcher)."""
    main = html.split("<main", 1)[1]
    field = main.split('name="language"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option [^>]*>([^<]+)</option>", field)


def switcher(html: str) -> list[str]:
    """The language switcher's options, as shown."""
    form = html.split('class="inline lang"', 1)[1].split("</form>", 1)[0]
    return re.findall(r"<option [^>]*>([^<]+)</option>", form)


@pytest.mark.parametrize("language", sorted(WORDS))
def test_directory_badges_name_the_language_in_the_readers_words(amy_client, event, language):
    words = WORDS[language]
    html = (
        in_language(amy_client, language)
        .get(f"/events/{event.slug}/directory/", {"show": "opportunities"})
        .text
    )
    assert sorted(badges(html)) == sorted(words.values())
    # the filter offers the same words
    assert chooser(html)[1:] == list(words.values())  # after "any language"
    # and the switcher is as it was: each language in its own name
    assert switcher(html) == ["English", "简体中文", "繁體中文"]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_organisation_page_badges_in_chinese(amy_client, event, language):
    html = in_language(amy_client, language).get(f"/events/{event.slug}/organisations/zhiyuan/")
    assert WORDS[language]["zh-Hans"] in badges(html.text)  # o1
    assert "English" not in badges(html.text)


def test_profile_page_says_what_amys_texts_are_written_in_in_chinese(amy_client, event):
    html = in_language(amy_client, "zh-hans").get(f"/events/{event.slug}/profile/").text
    assert re.search(r"<td>英文</td>", html)  # o2, Harbour Law's English offer
    assert "<td>English</td>" not in html


def test_the_opportunity_form_offers_the_languages_in_the_readers_words(amy_client, event):
    o2 = Opportunity.objects.get(event=event, key="o2")
    html = (
        in_language(amy_client, "zh-hans")
        .get(f"/events/{event.slug}/profile/opportunities/{o2.pk}/")
        .text
    )
    assert ": 英文</p>" in html  # "Original language: 英文"
    assert chooser(html)[1:] == ["英文", "简体中文", "繁体中文"]  # after "detect from the text"


def test_the_public_page_counts_opportunities_by_language_in_the_readers_words(client, event):
    html = in_language(client, "zh-hant").get(f"/events/{event.slug}/").text
    assert "<li>英文 <b>1</b></li>" in html and "<li>簡體中文 <b>1</b></li>" in html
    assert "<li>English <b>1</b></li>" not in html


def test_the_back_offices_profile_says_the_language_in_the_organisers_words(
    client, event, django_user_model
):
    from superconnector.events.domain.access import add_organiser

    organiser = django_user_model.objects.create_user("orga@example.com", "a-long-password")
    add_organiser(event, organiser)
    client.force_login(organiser)
    url = f"/orga/{event.slug}/profiles/kowloon-bank/"
    assert "· Traditional Chinese" in client.get(url).text  # o3, beside its category
    assert "· 繁体中文" in in_language(client, "zh-hans").get(url).text
