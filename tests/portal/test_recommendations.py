"""Recommendations from stored results, with feedback and requests answered in place."""

import json

import pytest
from django.core.management import call_command

from superconnector.directory.models import Opportunity, Participant
from superconnector.engine.matching import reason
from superconnector.matchmaking.models import Feedback, MeetingSuggestion, OpportunityMatch
from superconnector.meetings.models import MeetingRequest
from tests.factories import ParticipantFactory
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(event):
    """Stored results as a matching run leaves them: Zhiyuan AI suggested to Amy, Li Na
    the one to see and Zhang Wei her colleague; Zhiyuan's listing need matched to Harbour
    Law's listing counsel offer (the link between the two organisations)."""
    amy, li = participant(event, "p1"), participant(event, "p4")
    for choice, person in enumerate((li, participant(event, "p2"))):
        MeetingSuggestion.objects.create(
            event=event,
            participant=amy,
            suggested=person,
            score=0.9,
            rank=1,
            choice=choice,
            links=[{"need": "o1", "offer": "o2", "score": 0.8}],
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
    entry = response.context["recommendations"].people.entries[0]
    assert (entry.person.key, [c.key for c in entry.colleagues]) == ("p4", ["p2"])
    assert "Li Na" in response.text and "Also from this organisation: Zhang Wei" in response.text
    # The link says which of Zhiyuan's needs Amy's offer answers.
    need, offer = Opportunity.objects.get(key="o1"), Opportunity.objects.get(key="o2")
    assert [(a.need, a.offer) for a in entry.answers_theirs] == [(need, offer)]
    assert entry.answers_mine == []
    assert f"They need “{need.title}”: you offer “{offer.title}”" in response.text
    # Amy's offer (o2) is matched to Zhiyuan's need (o1): her side's reasons are shown.
    assert "寻求香港上市法律顾问" in response.text and "上市 ↔ listing" in response.text
    assert "for the need" not in response.text


def test_reasons_read_in_the_delegates_language(amy_client, event, stored):
    amy_client.cookies["django_language"] = "zh-hans"
    response = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert 'lang="zh-hans"' in response.text
    assert "Also from this organisation" not in response.text
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
    assert page.context["recommendations"].people.entries == []
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
    # The rejected opportunity is no longer named as what links the organisations.
    [entry] = page.context["recommendations"].people.entries
    assert (entry.person.key, entry.answers_theirs) == ("p4", [])


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
    assert page.context["recommendations"].people.entries == []
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
            links=[{"need": "o1", "offer": "o2", "score": 0.6}],
        )
    with django_assert_max_num_queries(16):
        response = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert len(response.context["recommendations"].people.entries) == 5


def test_not_relevant_hides_the_person_and_their_colleague_takes_the_entry(
    amy_client, event, stored
):
    amy, li = stored
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"person:{li.pk}", "verdict": "not_relevant"},
        headers={"HX-Request": "true"},
    )
    # The list comes back refilled in place, with the notice.
    assert response.status_code == 200 and "<html" not in response.text
    assert "Li Na: marked “Not relevant”" in response.text and "Zhang Wei" in response.text
    feedback = Feedback.objects.get(participant=amy)
    assert (feedback.person, feedback.organisation) == (li, None)
    [entry] = (
        amy_client.get(f"/events/{event.slug}/recommendations/")
        .context["recommendations"]
        .people.entries
    )
    assert (entry.person.key, entry.colleagues) == ("p2", [])


def test_a_verdict_refills_the_list_from_the_stored_entries(amy_client, event, stored):
    amy, li = stored
    others = [ParticipantFactory(event=event) for _ in range(6)]
    for rank, other in enumerate(others, start=2):
        MeetingSuggestion.objects.create(
            event=event, participant=amy, suggested=other, score=0.5, rank=rank
        )
    url = f"/events/{event.slug}/recommendations/"
    shown = [e.person for e in amy_client.get(url).context["recommendations"].people.entries]
    assert shown == [li, *others[:4]]
    amy_client.post(f"{url}feedback/", {"target": f"person:{li.pk}", "verdict": "competitor"})
    shown = [e.person for e in amy_client.get(url).context["recommendations"].people.entries]
    assert shown == others[:5]


def test_an_organisation_a_colleague_already_meets_is_left_out_and_named(client, account, event):
    """Li Na (Zhiyuan) is suggested Amy, whom her colleague Zhang Wei already meets (r1)."""
    li, amy = participant(event, "p4"), participant(event, "p1")
    MeetingSuggestion.objects.create(event=event, participant=li, suggested=amy, score=0.9, rank=1)
    client.force_login(account("p4"))
    page = client.get(f"/events/{event.slug}/recommendations/")
    people = page.context["recommendations"].people
    assert people.entries == []
    [met] = people.met_by_colleagues
    assert (met.organisation, met.colleague.key, met.counterpart, met.status) == (
        amy.event_organisation,
        "p2",
        amy,
        "accepted",
    )
    assert "Left out because a colleague already meets them" in page.text
    assert "Harbour Law LLP: Zhang Wei with Amy Leung" in page.text


def test_own_contact_with_the_organisation_is_shown_on_the_entry(amy_client, event, stored):
    """Amy already meets Zhang Wei (r1): Zhiyuan's entry, led by Li Na, says so."""
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    [entry] = page.context["recommendations"].people.entries
    assert entry.in_touch_with.key == "p2"
    assert "You are already in touch with Zhang Wei" in page.text


def test_recommend_json_prints_each_delegates_list_as_the_portal_shows_it(
    amy_client, event, capsys
):
    li = participant(event, "p4")
    li.person.profile_hidden = True  # withdrew the profile consent: nobody is shown her
    li.person.save()
    call_command("recommend", event.slug, "--json")
    lists = json.loads(capsys.readouterr().out)["participants"]
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    shown = [
        (e.person.key, e.score, e.organisation.key, [c.key for c in e.colleagues])
        for e in page.context["recommendations"].people.entries
    ]
    assert shown, "the run suggests somebody to Amy"
    assert [
        (i["participant"], i["score"], i["organisation"], i["colleagues"]) for i in lists["p1"]
    ] == shown
    assert "p4" not in lists  # an unlisted delegate gets no list either
    organisation_of = {
        p.key: p.event_organisation.key
        for p in Participant.objects.filter(event=event).select_related("event_organisation")
    }
    for key, items in lists.items():
        for item in items:
            assert organisation_of[item["participant"]] != organisation_of[key]
            assert "p4" not in [item["participant"], *item["colleagues"]]
            assert set(item) == {"participant", "score", "reasons", "organisation", "colleagues"}
