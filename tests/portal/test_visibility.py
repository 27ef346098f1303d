"""Finding 4 of issue 12: who sees whom was decided in several places, and they disagreed.

A delegate hidden from the directory (withdrawn consent, organisation awaiting review,
erased) was still recommended, offered in the request form, requestable by id, suggested
by the next matching run and kept in the schedule; feedback named what it should not.
Each test here failed before directory/domain/visibility.py was asked everywhere.
"""

import pytest

from superconnector.core.models import User
from superconnector.directory.models import EventOrganisation, Opportunity, ReviewStatus
from superconnector.matchmaking.domain.matching import ensure_recommendations
from superconnector.matchmaking.models import Feedback, MeetingSuggestion, OpportunityMatch
from superconnector.meetings.domain.requests import RequestRefused, send_request
from superconnector.meetings.domain.schedule import schedule_event
from superconnector.meetings.models import Meeting, MeetingRequest
from superconnector.privacy.domain.consent import withdraw
from superconnector.privacy.domain.erasure import erase_person
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


def hide_profile(event):
    """Li Na (p4) withdraws the "show my profile" consent."""
    li = participant(event, "p4")
    withdraw(li.person, "profile", channel="web")
    return li


def await_review(event):
    """Zhiyuan AI (Zhang Wei p2, Li Na p4) is set back to review, without any cascade (a
    plain update): the rule itself must hide them."""
    EventOrganisation.objects.filter(event=event, key="zhiyuan").update(
        review_status=ReviewStatus.PENDING
    )
    return participant(event, "p4")


def disable_account(event):
    """Li Na's account is disabled by a plain update (no save signal, no cascade)."""
    li = participant(event, "p4")
    li.person.user = User.objects.create_user("li.na@example.com", "a-long-password")
    li.person.save()
    User.objects.filter(pk=li.person.user_id).update(is_active=False)
    return li


UNLISTING = {
    "profile withdrawn": hide_profile,
    "organisation awaiting review": await_review,
    "account disabled": disable_account,
}


@pytest.fixture
def suggested(event):
    """Li Na suggested to Amy, as a matching run leaves it."""
    amy, li = participant(event, "p1"), participant(event, "p4")
    MeetingSuggestion.objects.create(
        event=event,
        participant=amy,
        suggested=li,
        score=0.9,
        rank=1,
        reasons=[{"code": "mutual", "values": {}}],
    )
    return li


@pytest.mark.parametrize("state", sorted(UNLISTING))
def test_an_unlisted_delegate_is_not_recommended(amy_client, event, suggested, state):
    UNLISTING[state](event)
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert page.status_code == 200
    assert page.context["recommendations"].people.entries == []
    assert "Li Na" not in page.text


@pytest.mark.parametrize("state", sorted(UNLISTING))
def test_the_request_form_does_not_offer_them(amy_client, event, state):
    assert amy_client.get(f"/events/{event.slug}/meetings/new/?to=p4").status_code == 200
    UNLISTING[state](event)
    assert amy_client.get(f"/events/{event.slug}/meetings/new/?to=p4").status_code == 404
    response = amy_client.get(f"/events/{event.slug}/meetings/new/?organisation=zhiyuan")
    if response.status_code == 200:  # Zhang Wei is still listed when only Li Na hid
        assert [p.key for p in response.context["candidates"]] == ["p2"]
        assert "Li Na" not in response.text
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("state", sorted(UNLISTING))
def test_a_request_by_their_id_is_refused(amy_client, event, state):
    li = UNLISTING[state](event)
    before = MeetingRequest.objects.count()
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/request/", {"participant": li.pk}
    )
    assert response.status_code == 404
    assert MeetingRequest.objects.count() == before


def test_the_workflow_itself_refuses_unlisted_people(event):
    """send_request is what the API and the form end in: it refuses either side unlisted."""
    amy, li = participant(event, "p1"), hide_profile(event)
    with pytest.raises(RequestRefused) as refused:
        send_request(amy, li)
    assert refused.value.code == "unavailable"
    with pytest.raises(RequestRefused):
        send_request(li, amy)


@pytest.mark.parametrize("state", sorted(UNLISTING))
def test_the_next_matching_run_leaves_them_out(event, state):
    ensure_recommendations(event, force=True)
    li = participant(event, "p4")
    assert MeetingSuggestion.objects.filter(suggested=li).exists()  # can fail: suggested before
    UNLISTING[state](event)
    run = ensure_recommendations(event)
    assert run is not None, "the change must make the stored results stale"
    assert not MeetingSuggestion.objects.filter(suggested=li).exists()
    assert not MeetingSuggestion.objects.filter(participant=li).exists()
    if state == "organisation awaiting review":
        zhiyuan = li.event_organisation
        assert not OpportunityMatch.objects.filter(need__event_organisation=zhiyuan).exists()


def test_an_erased_delegate_is_no_longer_recommended_or_scheduled(event, amy_client):
    """Zhang Wei (p2) is suggested to Amy and has a scheduled meeting with her (r1)."""
    amy, zhang = participant(event, "p1"), participant(event, "p2")
    MeetingSuggestion.objects.create(
        event=event,
        participant=amy,
        suggested=zhang,
        score=0.9,
        rank=1,
        reasons=[{"code": "mutual", "values": {}}],
    )
    assert Meeting.objects.filter(request__key="r1").exists()
    erase_person(zhang.person)
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert page.context["recommendations"].people.entries == []
    assert not Meeting.objects.filter(request__key="r1").exists()
    assert MeetingRequest.objects.get(key="r1").status == "cancelled"
    schedule_event(event, time_limit=5)
    assert not Meeting.objects.filter(seats__participant=zhang).exists()


def test_the_scheduling_run_leaves_them_out_even_without_the_cascade(event):
    """A state set behind the domain's back (a plain update) still keeps them out."""
    zhang = participant(event, "p2")
    EventOrganisation.objects.filter(pk=zhang.event_organisation_id).update(
        review_status=ReviewStatus.HIDDEN
    )
    run = schedule_event(event, time_limit=5)
    assert "r1" not in run.problem.request_by_id
    assert not Meeting.objects.filter(seats__participant=zhang).exists()


def test_feedback_on_a_confidential_opportunity_names_nothing_and_stores_nothing(amy_client, event):
    secret = Opportunity.objects.get(key="o3")  # Kowloon Bank's, not matched with Amy's
    secret.confidential = True
    secret.save()
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"opportunity:{secret.pk}", "verdict": "not_relevant"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 404
    assert secret.title not in response.text
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("state", sorted(UNLISTING))
def test_feedback_on_an_unlisted_person_names_nothing_and_stores_nothing(amy_client, event, state):
    li = UNLISTING[state](event)
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"person:{li.pk}", "verdict": "competitor"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 404
    assert "Zhiyuan" not in response.text
    assert not Feedback.objects.exists()


def test_feedback_on_an_opportunity_of_an_organisation_awaiting_review(amy_client, event):
    await_review(event)
    need = Opportunity.objects.get(key="o1")  # Zhiyuan's
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/feedback/",
        {"target": f"opportunity:{need.pk}", "verdict": "not_relevant"},
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_a_listed_delegate_is_still_recommended_and_requestable(amy_client, event, suggested):
    """The other side of the rule: nothing above hides a listed delegate."""
    page = amy_client.get(f"/events/{event.slug}/recommendations/")
    assert [e.person.key for e in page.context["recommendations"].people.entries] == ["p4"]
    response = amy_client.post(
        f"/events/{event.slug}/recommendations/request/", {"participant": suggested.pk}
    )
    assert response.status_code == 302
    assert MeetingRequest.objects.filter(sender__key="p1", recipient=suggested).exists()
