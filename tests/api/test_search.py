"""Search through the API: the portal's directory search (matchmaking/domain/search.py) for a
delegate's token, same results in the same order, the same visibility rule, paged, and
bad parameters refused with the parameter named."""

import pytest
from django.test import Client

from superconnector.directory.models import Opportunity, Person
from tests.factories import EventOrganisationFactory, UserFactory, answer_consents

pytestmark = pytest.mark.django_db

SEARCH = "/events/expo/search"


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["items"]]


@pytest.fixture
def ai_offers(world):
    """Opportunities that need relevance order and cross-language search to be found well."""
    # Not under "Zhiyuan AI": an opportunity is also found by its organisation's name.
    vision = EventOrganisationFactory(
        event=world.event, key="vision", organisation__name="Vision Works"
    )
    rows = {
        "o-ai-title": ("AI inspection for factories", ""),
        "o-ai-body": ("Factory inspection", "Computer vision and AI for quality control"),
        "o-ai-prefix": ("Aircraft parts", "We machine parts for airlines"),  # no "AI" word
        "o-main-board": ("Main Board listing", "A listing on the Main Board"),
        "o-zh": ("人工智能质检", ""),
    }
    for key, (title, description) in rows.items():
        Opportunity.objects.create(
            event=world.event,
            event_organisation=vision,
            key=key,
            direction="offer",
            category="technology",
            title=title,
            description=description,
            language="zh-Hans" if key == "o-zh" else "en",
        )
    return rows


def portal_keys(world, who: str, show: str, **filters) -> list[str]:
    """What the portal's directory page shows the same delegate, in its order (one page of
    60, enough for these tests)."""
    person = world.people[who].person
    if person.user is None:
        person.user = UserFactory(email=person.email.lower())
        person.save()
        answer_consents(person)
    client = Client()
    client.force_login(person.user)
    response = client.get(f"/events/{world.event.slug}/directory/", {"show": show, **filters})
    assert response.status_code == 200
    return [row.key for row in response.context["page"].items]


def test_results_come_best_first_in_the_portals_order(api, world, ai_offers):
    found = keys(api("amy").get(f"{SEARCH}/opportunities", q="AI"))
    assert found == portal_keys(world, "amy", "opportunities", q="AI")
    # The title's whole word first, then the description's; "Main Board" and "aircraft"
    # are not found by "AI"; the Chinese text names the same concept. (Zhiyuan AI's own
    # opportunities are found by their organisation's name.)
    assert found[0] == "o-ai-title"
    assert set(found) == {"o-ai-title", "o-ai-body", "o-zh", "o-need", "o-tech"}
    assert found.index("o-ai-title") < found.index("o-ai-body")


def test_latin_terms_match_word_starts(api, ai_offers):
    assert keys(api("amy").get(f"{SEARCH}/opportunities", q="inspect")) == [
        "o-ai-title",
        "o-ai-body",
    ]


def test_a_chinese_query_finds_english_texts_and_the_reverse(api, ai_offers):
    found = keys(api("amy").get(f"{SEARCH}/opportunities", q="人工智能"))
    assert {"o-ai-title", "o-ai-body", "o-zh"} <= set(found)
    assert not {"o-ai-prefix", "o-main-board"} & set(found)
    found = keys(api("amy").get(f"{SEARCH}/opportunities", q="artificial intelligence"))
    assert "o-zh" in found


def test_pages_follow_each_other_with_the_total(api, world, ai_offers):
    pages = [
        api("amy").get(f"{SEARCH}/opportunities", q="AI", page_size=2, page=n).json()
        for n in (1, 2, 3)
    ]
    first, last = pages[0], pages[-1]
    assert (first["total"], first["page"], first["page_size"], first["page_count"]) == (5, 1, 2, 3)
    assert last["page"] == 3 and len(last["items"]) == 1
    paged = [item["key"] for page in pages for item in page["items"]]
    assert paged == portal_keys(world, "amy", "opportunities", q="AI")


def test_organisations_and_people_are_searched_too(api):
    assert keys(api("amy").get(f"{SEARCH}/organisations", q="zhiyuan")) == ["ai"]
    people = api("amy").get(f"{SEARCH}/people", q="ben").json()["items"]
    assert [p["key"] for p in people] == ["ben"]
    assert people[0]["email"] is None  # no accepted meeting: contact details stay hidden


def test_people_are_found_by_their_chinese_name(api, world):
    Person.objects.filter(pk=world.people["ben"].person_id).update(name_zh="张本")
    assert keys(api("amy").get(f"{SEARCH}/people", q="张本")) == ["ben"]


def test_hidden_and_unlisted_never_appear(api, world):
    # The bank is hidden and "new" awaits review: neither they, their people nor their
    # opportunities are found, whatever the query names.
    assert keys(api("amy").get(f"{SEARCH}/opportunities", q="贸易融资")) == []
    assert "bank" not in keys(api("amy").get(f"{SEARCH}/organisations"))
    assert "new" not in keys(api("amy").get(f"{SEARCH}/organisations"))
    everyone = keys(api("amy").get(f"{SEARCH}/people", page_size=100))
    assert not {"cai", "dan"} & set(everyone)
    # A person who withdraws the consent to be shown drops out of the search at once.
    assert "ben" in everyone
    ben = world.people["ben"].person
    ben.profile_hidden = True
    ben.save()
    assert "ben" not in keys(api("amy").get(f"{SEARCH}/people", page_size=100))
    assert keys(api("amy").get(f"{SEARCH}/people", q="ben")) == []


def test_a_confidential_opportunity_is_found_only_by_those_allowed(api, world):
    Opportunity.objects.filter(key="o-tech").update(confidential=True)
    assert "o-tech" not in keys(api("amy").get(f"{SEARCH}/opportunities", q="大模型"))
    assert keys(api("ben").get(f"{SEARCH}/opportunities", q="大模型")) == ["o-tech"]  # his own


def test_another_events_token_cannot_search_this_event(api):
    for show in ("opportunities", "organisations", "people"):
        response = api("eve").get(f"{SEARCH}/{show}", q="listing")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert api().get(f"{SEARCH}/people").status_code == 401


def test_an_organiser_token_is_told_the_search_is_a_delegates(api):
    response = api("organiser").get(f"{SEARCH}/opportunities", q="listing")
    assert response.status_code == 403
    assert response.json()["code"] == "not_delegate"


@pytest.mark.parametrize(
    ("params", "parameter", "kind"),
    [
        ({"page": 0}, "page", "greater_than_equal"),
        ({"page": "two"}, "page", "int_parsing"),
        ({"page_size": 0}, "page_size", "greater_than_equal"),
        ({"page_size": 101}, "page_size", "less_than_equal"),
        ({"page": 2}, "page", "page_out_of_range"),  # 3 results fill one page of 20
        ({"language": "fr"}, "language", "enum"),
        ({"category": "gardening"}, "category", "enum"),
        ({"q": "x" * 201}, "q", "too_long"),
    ],
)
def test_bad_parameters_are_refused_by_name(api, params, parameter, kind):
    response = api("amy").get(f"{SEARCH}/opportunities", **params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert [(p["loc"], p["type"]) for p in body["detail"]] == [(["query", parameter], kind)]
    assert body["detail"][0]["msg"]


def test_a_page_past_the_end_says_how_many_there_are(api):
    problem = api("amy").get(f"{SEARCH}/opportunities", page=5).json()["detail"][0]
    assert problem["msg"] == "There is no page 5: the last is page 1 (3 results, 20 a page)."


def test_the_schema_declares_paging_and_the_total(api):
    schema = api("amy").client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/events/{slug}/search/opportunities"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert {"q", "kind", "region", "sector", "language", "category"} <= set(parameters)
    reply = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    shape = schema["components"]["schemas"][reply.rsplit("/", 1)[1]]
    assert {"total", "page", "page_size", "page_count", "items"} <= set(shape["properties"])
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "422"}
