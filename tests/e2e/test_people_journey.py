"""The people to meet in a real browser, at desktop and phone sizes: one card per
organisation, the colleague named, and a "not relevant" that refills the list in place."""

import pytest

from superconnector.directory.models import Participant
from superconnector.matchmaking.models import MeetingSuggestion
from tests.e2e.conftest import save_screenshot
from tests.e2e.test_search_journey import SIZES, sign_in_as_delegate

pytestmark = pytest.mark.django_db(transaction=True)


def store_people(event) -> None:
    """Amy's list as a run leaves it: Zhiyuan AI (Li Na to see, Zhang Wei beside her), then
    Kowloon Bank (Peter Ho), with the link from Zhiyuan's listing need to Amy's offer."""
    people = {p.key: p for p in Participant.objects.filter(event=event)}
    rows = [(1, 0, "p4"), (1, 1, "p2"), (2, 0, "p3")]
    for rank, choice, key in rows:
        MeetingSuggestion.objects.create(
            event=event,
            participant=people["p1"],
            suggested=people[key],
            score=0.9 - 0.1 * rank,
            rank=rank,
            choice=choice,
            links=[{"need": "o1", "offer": "o2", "score": 0.8}] if rank == 1 else [],
        )


@pytest.mark.parametrize("size", sorted(SIZES))
def test_not_relevant_on_a_person_hands_the_entry_to_their_colleague(
    page, small_event, django_user_model, size
):
    store_people(small_event)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    sign_in_as_delegate(page, small_event, django_user_model)
    page.goto(f"{page.base_url}/events/{small_event.slug}/recommendations/")
    people = page.locator("#people-to-meet")
    cards = people.locator("article.recommendation")
    assert cards.count() == 2  # one card per organisation, not one per person
    first = cards.first.inner_text()
    assert "Zhiyuan AI" in first and "Li Na" in first
    assert "Also from this organisation: Zhang Wei" in first
    assert "They need “" in first and "you offer “" in first
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0] + 1
    save_screenshot(page, f"people-to-meet-{size}")

    cards.first.get_by_role("button", name="Not relevant").click()
    people.get_by_text("Li Na: marked “Not relevant”").wait_for()
    first = people.locator("article.recommendation").first.inner_text()
    assert "Zhang Wei" in first and "Li Na" not in first and "Also from" not in first
    assert people.locator("article.recommendation").count() == 2  # the list stays full
    save_screenshot(page, f"people-to-meet-refilled-{size}")
