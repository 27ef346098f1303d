"""Recommendations from stored results, with feedback and requests answered in place."""

import pytest

from superconnector.directory.models import Opportunity
from superconnector.engine.matching import reason
from superconnector.matchmaking.models import Feedback, MeetingSuggestion, OpportunityMatch
from superconnector.meetings.models import MeetingRequest
from tests.factories import ParticipantFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(event):
    """Stored results as a matching run leaves them: Li Na suggested to Amy; Zhiyuan's
    listing need matched to Harbour Law's listing counsel offer."""
    amy, li = participant(event, "p1"), participant(event, "p4")
    MeetingSuggestion.objects.create(
        event=event,
        participant=amy,
        suggested=li,
        score=0.9,
        rank=1,
        reasons=[
            reason("mutual").as_json(),
            reason("cross_language", need_language="en", offer_language="zh-Hans").as_json(),
        ],
    )
    OpportunityMatch.objects.create(
        event=event,
        need=Opportunity.objects.get(key="o1"),
        offer=Opportunity.objects.get(key="o2"),
        score=0.8,
        rank_for_need=1,
        rank_for_offer=1,
        reasons_for_need=[reason("matched_terms", terms="for the need").as_json()],
        reasons_for_offer=[reason("matched_terms", terms="上市 ↔ listing").as_json()],
    )
    return amy, li


def test_page_shows_people_and_opportunities_with_reasons(amy_client, event, stored):
    response = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert response.status_code == 200
    assert "Li Na" in response.text and "Cross-language match" in response.text
    # Amy's offer (o2) is matched to Zhiyuan's need (o1): her side's reasons are shown.
    assert "寻求香港上市法律顾问" in response.text and "上市 ↔ listing" in response.text
    assert "for the need" not in response.text


def test_reasons_read_in_the_delegates_language(amy_client, event, stored):
    amy_client.cookies["django_language"] = "zh-hans"
    response = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert 'lang="zh-hans"' in response.text
    assert "Cross-language match" not in response.text
    # ("English" is translated as itself: its msgid is shared with the language switcher.)
    assert "跨语言匹配（英文需求，简体中文供给）" in response.text
    assert "上市 ↔ listing" in response.text  # matched terms stay as written


def test_feedback_on_a_person_hides_their_organisation(amy_client, event, stored):
    amy, li = stored
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"person:{li.pk}", "verdict": "competitor"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and "Zhiyuan AI" in response.text
    feedback = Feedback.objects.get(participant=amy)
    assert (feedback.verdict, feedback.organisation, feedback.opportunity) == (
        "competitor",
        li.event_organisation,
        None,
    )
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert page.context["recommendations"].people == []
    # The organisation verdict also hides its opportunities.
    assert page.context["recommendations"].opportunities == []


def test_feedback_on_an_opportunity(amy_client, event, stored):
    o1 = Opportunity.objects.get(key="o1")
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"opportunity:{o1.pk}", "verdict": "not_relevant"},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(opportunity=o1).verdict == "not_relevant"
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert page.context["recommendations"].opportunities == []
    assert [s.suggested.key for s in page.context["recommendations"].people] == ["p4"]


def test_bad_feedback_is_404(amy_client, event, stored):
    own = Opportunity.objects.get(key="o2")  # Amy's own organisation's
    for data in (
        {"target": f"opportunity:{own.pk}", "verdict": "competitor"},
        {"target": "person:abc", "verdict": "competitor"},
        {"target": f"opportunity:{own.pk}", "verdict": "love-it"},
    ):
        assert (
            amy_client.post(f"/events/{event.slug}/recommendations/feedback/", data).status_code
            == 404
        )
    assert not Feedback.objects.exists()


def test_request_from_a_recommendation_in_place(amy_client, event, stored):
    amy, li = stored
    url = f"/events/{event.slug}/recommendations/request/"
    response = amy_client.post(url, {"participant": li.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Meeting request sent to Li Na." in response.text
    assert MeetingRequest.objects.get(sender=amy, recipient=li).status == "pending"
    again = amy_client.post(url, {"participant": li.pk}, headers={"HX-Request": "true"})
    assert again.status_code == 200
    assert "You already have an open meeting request with Li Na." in again.text
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert li.pk in page.context["recommendations"].requested


def test_unpublished_suggestions_are_left_out(amy_client, event, stored):
    _amy, li = stored
    li.event_organisation.review_status = "hidden"
    li.event_organisation.save()
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert page.context["recommendations"].people == []
    assert page.context["recommendations"].opportunities == []


def test_query_count_does_not_grow_with_suggestions(
    amy_client, event, stored, django_assert_max_num_queries
):
    amy = stored[0]
    for rank in range(2, 30):
        MeetingSuggestion.objects.create(
            event=event,
            participant=amy,
            suggested=ParticipantFactory(event=event),
            score=0.5,
            rank=rank,
            reasons=[reason("matched_terms", terms=f"reason {rank}").as_json()],
        )
    with django_assert_max_num_queries(12):
        response = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert len(response.context["recommendations"].people) == 29
    assert "reason 29" in response.text
