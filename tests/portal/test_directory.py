"""The directory: published profiles only, Chinese search across scripts, filters, cards."""

import pytest

from superconnector.directory.models import EventOrganisation, Opportunity
from superconnector.engine.text import normalise
from superconnector.matchmaking.domain.search import (
    PAGE_SIZE,
    query_terms,
    score_text,
    text_matches,
)
from superconnector.meetings.models import MeetingRequest
from tests.factories import EventOrganisationFactory, ParticipantFactory, PersonFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


def keys(response) -> list[str]:
    return [item.key for item in response.context["page"].items]


def test_traditional_query_finds_simplified_text(amy_client, event):
    # o1 is written in Simplified: 寻求香港上市法律顾问
    response = amy_client.get(f"/events/{event.slug}/directory/", {"q": "上市法律顧問"})
    assert keys(response) == ["o1"]
    assert "寻求香港上市法律顾问" in response.text  # shown as written


def test_simplified_query_finds_traditional_text(amy_client, event):
    # o3 is written in Traditional: 跨境貿易融資
    response = amy_client.get(f"/events/{event.slug}/directory/", {"q": "贸易融资"})
    assert keys(response) == ["o3"]


def test_chinese_words_need_not_be_adjacent(amy_client, event):
    # 上市 and 顾问 both occur in o1's title, not next to each other.
    assert keys(amy_client.get(f"/events/{event.slug}/directory/", {"q": "上市顧問"})) == ["o1"]
    assert keys(amy_client.get(f"/events/{event.slug}/directory/", {"q": "上市 银行"})) == []


def test_query_terms_and_matching():
    terms = query_terms("HKEX  上市顧問")
    assert terms[0].text == "hkex" and [part.text for part in terms[0].parts] == ["hkex"]
    assert terms[1].text == "上市顾问"
    assert {part.text for part in terms[1].parts} == {"上市", "顾问"}
    assert text_matches(terms, "hkex main board 上市法律顾问")
    assert not text_matches(terms, "nasdaq 上市法律顾问")


def test_english_search_and_filters(amy_client, event):
    url = f"/events/{event.slug}/directory/"
    assert keys(amy_client.get(url, {"q": "LISTING counsel"})) == ["o2"]
    assert sorted(keys(amy_client.get(url, {"direction": "offer"}))) == ["o2", "o3"]
    assert keys(amy_client.get(url, {"category": "investment"})) == ["o3"]
    assert keys(amy_client.get(url, {"kind": "service_provider"})) == ["o2"]
    assert keys(amy_client.get(url, {"language": "zh-Hant"})) == ["o3"]
    assert keys(amy_client.get(url, {"region": "Hong Kong", "direction": "need"})) == ["o1"]
    assert keys(amy_client.get(url, {"sector": "AI"})) == ["o1"]  # Zhiyuan's sector "ai"


def test_organisations_and_people_views(amy_client, event):
    url = f"/events/{event.slug}/directory/"
    orgs = amy_client.get(url, {"show": "organisations", "q": "人民币结算"})
    assert keys(orgs) == ["kowloon-bank"]  # 人民幣結算 in its Traditional description
    orgs = amy_client.get(url, {"show": "organisations", "kind": "enterprise"})
    assert keys(orgs) == ["zhiyuan"]
    people = amy_client.get(url, {"show": "people", "q": "zhiyuan"})
    assert sorted(p.person.name for p in people.context["page"].items) == ["Li Na", "Zhang Wei"]
    people = amy_client.get(url, {"show": "people", "language": "en"})
    assert [p.person.name for p in people.context["page"].items] == ["Amy Leung"]


def test_people_are_found_by_their_chinese_name(amy_client, event):
    from superconnector.directory.models import Person

    Person.objects.filter(name="Zhang Wei").update(name_zh="张伟")
    url = f"/events/{event.slug}/directory/"
    people = amy_client.get(url, {"show": "people", "q": "张伟"})
    assert [p.person.name for p in people.context["page"].items] == ["Zhang Wei"]


def test_unpublished_profiles_are_not_listed(amy_client, event):
    EventOrganisation.objects.filter(key="kowloon-bank").update(review_status="pending")
    url = f"/events/{event.slug}/directory/"
    assert sorted(keys(amy_client.get(url))) == ["o1", "o2"]
    assert "kowloon-bank" not in keys(amy_client.get(url, {"show": "organisations"}))
    people = amy_client.get(url, {"show": "people"})
    assert "Peter Ho" not in people.text
    assert "跨境貿易融資" not in amy_client.get(url, {"q": "融资"}).text


def test_htmx_gets_only_the_results(amy_client, event):
    response = amy_client.get(
        f"/events/{event.slug}/directory/", {"q": "融資"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="directory-results"')
    assert "<html" not in response.text and "跨境貿易融資" in response.text


def test_contact_details_only_after_an_accepted_meeting(client, event, account):
    # Li Na (p4) has only a pending request with Peter Ho (p3); no meeting with Amy.
    li = participant(event, "p4")
    li.person.phone = "+86 10 5555 0101"
    li.person.save()
    client.force_login(account("p3"))
    url = f"/events/{event.slug}/directory/"
    page = client.get(url, {"show": "people"})
    assert "li.na@example.com" not in page.text and "5555 0101" not in page.text
    assert "amy.leung@example.com" in page.text  # r3: Peter and Amy's meeting is accepted
    MeetingRequest.objects.filter(key="r2").update(status="accepted")
    page = client.get(url, {"show": "people"})
    assert "li.na@example.com" in page.text and "+86 10 5555 0101" in page.text


def test_directory_query_count_does_not_grow(amy_client, event, django_assert_max_num_queries):
    for n in range(40):
        link = EventOrganisationFactory(event=event)
        ParticipantFactory(event=event, event_organisation=link, person=PersonFactory())
        Opportunity.objects.create(
            event=event,
            event_organisation=link,
            key=f"bulk-{n}",
            direction="offer",
            category="technology",
            title=f"人工智能平台 {n}",
            language="zh-Hans",
        )
    url = f"/events/{event.slug}/directory/"
    for show in ("opportunities", "organisations", "people"):
        with django_assert_max_num_queries(10):
            response = amy_client.get(url, {"show": show})
        assert response.context["page"].total >= 40
    with django_assert_max_num_queries(10):
        response = amy_client.get(url, {"q": "人工智能平臺"})  # 臺 is Traditional for 台
    assert response.context["page"].total == 40


# --- words, prefixes, languages, order and pages (issue 14) ---------------------------------


def add_opportunities(event, titles: list[str], *, language: str = "en") -> list[str]:
    link = EventOrganisationFactory(event=event)
    keys = []
    for n, title in enumerate(titles):
        key = f"extra-{link.pk}-{n}"
        Opportunity.objects.create(
            event=event,
            event_organisation=link,
            key=key,
            direction="offer",
            category="technology",
            title=title,
            language=language,
        )
        keys.append(key)
    return keys


def test_latin_terms_match_whole_words_and_prefixes():
    main_board = score_text(query_terms("AI"), normalise("HKEX Main Board listing"))
    assert main_board == 0  # "ai" inside "main" is not the word AI
    assert score_text(query_terms("AI"), normalise("AI-driven compliance")) > 0
    assert score_text(query_terms("ai"), normalise("aims and airports")) == 0  # too short
    assert score_text(query_terms("fin"), normalise("Trade finance in RMB")) > 0
    assert score_text(query_terms("nance"), normalise("Trade finance in RMB")) == 0
    whole = score_text(query_terms("finance"), normalise("finance"))
    prefix = score_text(query_terms("fin"), normalise("finance"))
    assert whole > prefix > 0


def test_ai_query_skips_main_board_texts(amy_client, event):
    board, ai = add_opportunities(event, ["Sponsor for a Main Board listing", "AI vision platform"])
    found = keys(amy_client.get(f"/events/{event.slug}/directory/", {"q": "AI"}))
    assert ai in found and board not in found


def test_chinese_query_finds_english_texts_and_the_reverse(amy_client, event):
    (english,) = add_opportunities(event, ["Artificial intelligence for hospitals"])
    (chinese,) = add_opportunities(event, ["医院人工智能平台"], language="zh-Hans")
    (unrelated,) = add_opportunities(event, ["Cold-chain logistics"])
    url = f"/events/{event.slug}/directory/"
    from_chinese = keys(amy_client.get(url, {"q": "人工智能"}))
    assert english in from_chinese and chinese in from_chinese and unrelated not in from_chinese
    from_english = keys(amy_client.get(url, {"q": "artificial intelligence"}))
    assert chinese in from_english and english in from_english
    assert chinese in keys(amy_client.get(url, {"q": "AI"}))


def test_results_come_in_relevance_order(amy_client, event):
    link = EventOrganisationFactory(event=event)
    rows = {
        "a-body": ("Aardvark hospital systems", "Paid through a bank partner"),
        "b-prefix": ("Banking software", ""),
        "c-title": ("Bank guarantees", ""),
    }
    for key, (title, description) in rows.items():
        Opportunity.objects.create(
            event=event,
            event_organisation=link,
            key=key,
            direction="offer",
            category="investment",
            title=title,
            description=description,
            language="en",
        )
    found = keys(amy_client.get(f"/events/{event.slug}/directory/", {"q": "bank"}))
    mine = [key for key in found if key in rows]
    # Whole word in the title, then a prefix in the title, then the word in the body;
    # alphabetical order would have been the reverse.
    assert mine == ["c-title", "b-prefix", "a-body"]


def test_results_are_paged_with_counts(amy_client, event):
    titles = [f"Robotics line {n:03d}" for n in range(PAGE_SIZE + 5)]
    made = set(add_opportunities(event, titles))
    url = f"/events/{event.slug}/directory/"
    first = amy_client.get(url, {"q": "robotics"})
    page = first.context["page"]
    assert page.total == PAGE_SIZE + 5 and page.page_count == 2 and len(page.items) == PAGE_SIZE
    assert "Page 1 of 2" in first.text and "page=2" in first.text
    second = amy_client.get(url, {"q": "robotics", "page": "2"})
    assert len(second.context["page"].items) == 5
    assert set(keys(first)) | set(keys(second)) == made
    assert not set(keys(first)) & set(keys(second))
    # Past the end or nonsense: the nearest real page, never an error.
    assert amy_client.get(url, {"q": "robotics", "page": "9"}).context["page"].number == 2
    assert amy_client.get(url, {"q": "robotics", "page": "x"}).context["page"].number == 1


def test_the_pager_is_above_the_results_as_well_as_below(amy_client, event):
    """On a phone a page of results is tens of thousands of pixels tall: "Page 1 of 2" and
    "Next" come before the first card, not only after the last."""
    add_opportunities(event, [f"Robotics line {n:03d}" for n in range(PAGE_SIZE + 5)])
    html = amy_client.get(f"/events/{event.slug}/directory/", {"q": "robotics"}).text
    first_card, last_card = html.index('<article class="card">'), html.rindex("</article>")
    top, bottom = html.index('class="pager pager-top"'), html.index('class="pager pager-bottom"')
    assert top < first_card and bottom > last_card
    for pager in (html[top:first_card], html[bottom:]):
        assert "Page 1 of 2" in pager and 'rel="next"' in pager and "page=2" in pager
    one_page = amy_client.get(f"/events/{event.slug}/directory/", {"q": "Robotics line 001"})
    assert "pager" not in one_page.text  # a single page has no pager at all
