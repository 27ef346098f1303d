"""The organisation page: whole description, people, opportunities, "met before", who may see it."""

import pytest

from superconnector.directory.models import EventOrganisation, Opportunity, Organisation
from tests.factories import (
    EventFactory,
    EventOrganisationFactory,
    MeetingRequestFactory,
    ParticipantFactory,
)
from tests.portal.conftest import participant

pytestmark = pytest.mark.django_db


def page_of(client, event, key: str):
    return client.get(f"/events/{event.slug}/organisations/{key}/")


def test_the_page_shows_the_whole_description_people_and_opportunities(amy_client, event):
    ending = "and this last sentence is past where a card cuts."
    Organisation.objects.filter(participations__event=event, participations__key="zhiyuan").update(
        description="Zhiyuan builds vision models. " * 20 + ending
    )
    response = page_of(amy_client, event, "zhiyuan")
    assert response.status_code == 200
    assert ending in response.text  # the card cuts at 280 characters, the page does not
    assert "Zhang Wei" in response.text and "Li Na" in response.text
    assert "Peter Ho" not in response.text  # Kowloon Bank's, not Zhiyuan's
    assert "寻求香港上市法律顾问" in response.text  # o1, Zhiyuan's opportunity
    assert "to=p2" in response.text  # a request link to each of its people


def test_cards_link_to_the_page(amy_client, event):
    url = f"/events/{event.slug}/directory/"
    target = f"/events/{event.slug}/organisations/zhiyuan/"
    for show in ("opportunities", "organisations", "people"):
        assert target in amy_client.get(url, {"show": show}).text, show
    agenda = amy_client.get(f"/events/{event.slug}/agenda/")
    assert target in agenda.text  # r1 with Zhang Wei is scheduled


def test_met_before_counts_accepted_meetings_at_other_events(amy_client, event):
    amy, zhang = participant(event, "p1"), participant(event, "p2")
    earlier = EventFactory(name="Shenzhen Forum 2025")
    mine = EventOrganisationFactory(event=earlier, organisation=amy.event_organisation.organisation)
    theirs = EventOrganisationFactory(
        event=earlier, organisation=zhang.event_organisation.organisation
    )
    for status in ("accepted", "accepted", "declined"):
        MeetingRequestFactory(
            event=earlier,
            sender=ParticipantFactory(event=earlier, event_organisation=theirs),
            recipient=ParticipantFactory(event=earlier, event_organisation=mine),
            status=status,
        )
    text = page_of(amy_client, event, "zhiyuan").text
    assert "Met before" in text and "Shenzhen Forum 2025" in text
    assert "2 accepted meetings with your organisation" in text
    # r1 (Zhang Wei and Amy, accepted) at this event counts too.
    assert "1 accepted meeting with your organisation at" in text
    assert "Met before" not in page_of(amy_client, event, "kowloon-bank").text.split("<h2")[0]


def test_no_met_before_without_history(amy_client, event):
    link = EventOrganisationFactory(event=event)
    ParticipantFactory(event=event, event_organisation=link)
    assert "Met before" not in page_of(amy_client, event, link.key).text


@pytest.mark.parametrize("status", ["pending", "hidden"])
def test_an_unlisted_organisation_is_not_found(amy_client, event, status):
    EventOrganisation.objects.filter(event=event, key="zhiyuan").update(review_status=status)
    assert page_of(amy_client, event, "zhiyuan").status_code == 404


def test_ones_own_organisation_shows_while_it_awaits_review(amy_client, event):
    own = participant(event, "p1").event_organisation
    EventOrganisation.objects.filter(pk=own.pk).update(review_status="pending")
    assert page_of(amy_client, event, own.key).status_code == 200


def test_another_events_organisation_is_not_found(amy_client, event):
    elsewhere = EventOrganisationFactory(key="elsewhere")
    Opportunity.objects.create(
        event=elsewhere.event,
        event_organisation=elsewhere,
        key="x1",
        direction="offer",
        category="technology",
        title="Elsewhere",
        language="en",
    )
    assert page_of(amy_client, event, "elsewhere").status_code == 404
    assert page_of(amy_client, event, "no-such-key").status_code == 404


def test_a_delegate_of_another_event_is_not_shown_it(outsider_client, event):
    assert page_of(outsider_client, event, "zhiyuan").status_code == 404


def test_long_opportunity_descriptions_fold_to_their_first_lines(amy_client, event):
    """Dozens of opportunities with their whole descriptions made the page 18,000 px tall on
    a phone: a long one shows its opening, and the whole text opens from it."""
    long_text = "Zhiyuan licenses its vision models to factories. " * 12 + "The very end."
    Opportunity.objects.filter(event=event, key="o1").update(description=long_text)
    html = page_of(amy_client, event, "zhiyuan").text
    folded = html.split('<details class="more">', 1)[1].split("</details>", 1)[0]
    summary, whole = folded.split("</summary>", 1)
    assert "Zhiyuan licenses its vision models" in summary and "The very end." not in summary
    assert "Read more" in summary
    assert "The very end." in whole  # the whole text, in the page, behind the summary
    assert html.count("The very end.") == 1


def test_a_short_description_is_shown_whole(amy_client, event):
    html = page_of(amy_client, event, "harbour-law").text
    assert "Main Board and Chapter 18C listings." in html  # o2, short
    assert '<details class="more">' not in html
