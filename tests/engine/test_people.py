"""People to meet: one entry per partner organisation, best person first, gentle exposure."""

from superconnector.engine.matching import Recommendation
from superconnector.engine.people import (
    Person,
    exposure,
    list_people_to_meet,
    one_person_per_partner,
)


def popular_world(n_orgs=6, per_org=2):
    """Everyone's favourite partner is o0; the others are liked less the further away."""
    people = [Person(f"p{i:02d}", f"o{i % n_orgs}") for i in range(n_orgs * per_org)]
    partners = {
        f"o{a}": sorted(
            (
                Recommendation(f"o{b}", 0.95 if b == 0 else 0.6 - 0.02 * abs(a - b), [])
                for b in range(n_orgs)
                if b != a
            ),
            key=lambda r: -r.score,
        )
        for a in range(n_orgs)
    }
    return people, partners


def organisations(entries):
    return [entry.organisation for entry in entries]


def test_one_entry_per_organisation_with_its_people_and_never_ones_own():
    people, partners = popular_world()
    lists = list_people_to_meet(people, partners)
    for person in people:
        shown = organisations(lists[person.key])
        assert len(shown) == len(set(shown)) == 5
        assert person.organisation not in shown
        for entry in lists[person.key]:
            assert sorted(entry.people) == sorted(
                p.key for p in people if p.organisation == entry.organisation
            )


def test_the_best_partner_always_comes_first_even_when_overasked():
    people, partners = popular_world()
    lists = list_people_to_meet(people, partners, exposure_per_person=1, penalty=1.0)
    for person in people:
        if person.organisation != "o0":
            assert lists[person.key][0].organisation == "o0"


def test_an_overasked_organisation_gives_way_on_near_ties_only():
    """o1 is everybody's second choice, asked far beyond its one person's capacity; for
    x00, o5 (asked by nobody else) is just behind. With the exposure penalty o5 moves up
    in x00's list; without it, o1 stays."""
    people = [Person(f"x{i:02d}", f"s{i}") for i in range(12)]
    people += [Person("o1-a", "o1"), Person("o5-a", "o5"), Person("top-a", "top")]
    partners = {
        f"s{i}": [Recommendation("top", 0.9, []), Recommendation("o1", 0.61, [])] for i in range(12)
    }
    partners["s0"].append(Recommendation("o5", 0.60, []))
    gentle = list_people_to_meet(people, partners, exposure_per_person=2, penalty=0.05)
    none = list_people_to_meet(people, partners, exposure_per_person=2, penalty=0.0)
    assert organisations(none["x00"]) == ["top", "o1", "o5"]
    assert organisations(gentle["x00"]) == ["top", "o5", "o1"]
    # A clear difference in score is not overturned by the same penalty.
    partners["s0"] = [
        Recommendation("top", 0.9, []),
        Recommendation("o1", 0.8, []),
        Recommendation("o5", 0.3, []),
    ]
    assert organisations(list_people_to_meet(people, partners, exposure_per_person=2)["x00"]) == [
        "top",
        "o1",
        "o5",
    ]


def test_the_person_to_see_shares_a_language_then_spreads_the_load():
    people = [
        Person("a1", "A", frozenset({"zh-Hans"})),
        Person("a2", "A", frozenset({"en"})),
        Person("b1", "B", frozenset({"en"})),
        Person("b2", "B", frozenset({"en", "zh-Hans"})),
        Person("c1", "C", frozenset({"en"})),
        Person("c2", "C", frozenset({"en"})),
    ]
    partners = {
        "A": [Recommendation("B", 0.9, [])],
        "C": [Recommendation("B", 0.8, [])],
        "B": [Recommendation("A", 0.9, [])],
    }
    lists = list_people_to_meet(people, partners)
    assert lists["a1"][0].people == ("b2", "b1")  # the one who speaks Putonghua
    # a2, c1 and c2 all share English with both: the load spreads over B's two people.
    firsts = [lists[key][0].people[0] for key in ("a2", "c1", "c2")]
    assert sorted(firsts).count("b1") >= 1 and sorted(firsts).count("b2") >= 1


def test_verdicts_hide_a_person_or_an_organisation():
    people, partners = popular_world()
    excluded = {("p01", "o0"), ("p01", "p08"), ("p01", "p02")}  # o0; p08 and p02 are o2's
    lists = list_people_to_meet(people, partners, excluded=excluded)
    assert "o0" not in organisations(lists["p01"])
    assert "o2" not in organisations(lists["p01"])  # nobody of o2 is left to see
    assert all("p08" not in entry.people for entry in lists["p01"])
    assert "o0" in organisations(lists["p07"])  # p01's colleague keeps their own list


def test_lists_hold_entries_beyond_the_five_shown_to_refill_from():
    people = [Person("me", "M")] + [Person(f"q{i:02d}", f"P{i:02d}") for i in range(15)]
    partners = {"M": [Recommendation(f"P{i:02d}", 0.9 - 0.01 * i, []) for i in range(15)]}
    lists = list_people_to_meet(people, partners, length=10)
    assert organisations(lists["me"]) == [f"P{i:02d}" for i in range(10)]


def test_exposure_spreads_wider_than_one_person_per_partner():
    people, partners = popular_world(per_org=3)
    spread = exposure(list_people_to_meet(people, partners))
    simple = exposure(one_person_per_partner(people, partners))
    assert max(spread.values()) < max(simple.values())
    assert len(spread) > len(simple)  # more people are somebody's one to see


def test_one_person_per_partner_shows_each_partner_once_in_the_engines_order():
    people = [Person("a1", "A"), Person("a2", "A"), Person("b2", "B"), Person("b1", "B")]
    people += [Person("c1", "C")]
    partners = {
        "A": [Recommendation("B", 0.9, []), Recommendation("C", 0.5, [])],
        "B": [Recommendation("A", 0.9, [])],
    }
    result = one_person_per_partner(people, partners)
    assert [e.people for e in result["a2"]] == [("b1",), ("c1",)]
    assert [e.people for e in result["b1"]] == [("a1",)]
    assert [
        e.people for e in one_person_per_partner(people, partners, per_participant=1)["a1"]
    ] == [("b1",)]
