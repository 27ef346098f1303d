from superconnector.engine.assignment import (
    Person,
    assign_suggestions,
    exposure,
    one_person_per_partner,
    suggest_meetings,
)
from superconnector.engine.matching import Recommendation


def popular_world(n_orgs=6, per_org=4):
    people = [Person(f"p{i}", f"o{i % n_orgs}") for i in range(n_orgs * per_org)]
    # Everyone's favourite is o0; others are liked less the further away they are.
    scores = {
        f"o{a}": {
            f"o{b}": 0.95 if b == 0 else 0.5 - 0.05 * abs(a - b) for b in range(n_orgs) if b != a
        }
        for a in range(n_orgs)
    }
    return people, scores


def test_nobody_is_suggested_more_often_than_the_cap():
    people, scores = popular_world()
    result = assign_suggestions(people, scores, per_participant=5, minimum=3, max_exposure=6)
    assert max(exposure(result).values()) <= 6


def test_everyone_gets_the_minimum_when_candidates_allow():
    people, scores = popular_world()
    result = assign_suggestions(people, scores, per_participant=5, minimum=3, max_exposure=6)
    assert min(len(items) for items in result.values()) >= 3
    for receiver, items in result.items():
        organisation = next(p.organisation for p in people if p.key == receiver)
        assert all(
            s.candidate not in {p.key for p in people if p.organisation == organisation}
            for s in items
        )


def test_without_a_cap_the_favourite_would_fill_every_list():
    people, scores = popular_world()
    uncapped = exposure(
        assign_suggestions(people, scores, per_participant=5, minimum=3, max_exposure=100)
    )
    capped = exposure(
        assign_suggestions(people, scores, per_participant=5, minimum=3, max_exposure=6)
    )
    favourites = [p.key for p in people if p.organisation == "o0"]
    assert max(uncapped[p] for p in favourites) > 6
    assert max(capped.get(p, 0) for p in favourites) <= 6


def test_exclusions_are_respected():
    people, scores = popular_world()
    excluded = {(p.key, "o0") for p in people}
    result = assign_suggestions(people, scores, excluded=excluded)
    assert all(
        not s.candidate.startswith("p") or int(s.candidate[1:]) % 6 != 0
        for items in result.values()
        for s in items
    )


def partner_lists():
    people = [Person("a1", "A"), Person("a2", "A"), Person("b2", "B"), Person("b1", "B")]
    people += [Person("c1", "C")]
    partners = {
        "A": [Recommendation("B", 0.9, []), Recommendation("C", 0.5, [])],
        "B": [Recommendation("A", 0.9, [])],
        "C": [Recommendation("A", 0.5, [])],
    }
    return people, partners


def test_one_person_per_partner_shows_each_partner_once_in_the_engines_order():
    people, partners = partner_lists()
    result = one_person_per_partner(people, partners)
    assert [s.candidate for s in result["a2"]] == ["b1", "c1"]
    assert [s.candidate for s in result["b1"]] == ["a1"]
    assert [
        s.candidate for s in one_person_per_partner(people, partners, per_participant=1)["a1"]
    ] == ["b1"]


def test_suggest_meetings_assigns_from_the_partner_scores():
    people, partners = partner_lists()
    result = suggest_meetings(people, partners, minimum=1, max_exposure=8)
    # Today's lists take every colleague of a partner: both of B's people for A's delegates.
    assert [s.candidate for s in result["a1"]] == ["b1", "b2", "c1"]
    assert {s.candidate for s in result["c1"]} == {"a1", "a2"}
