import math

from superconnector.engine.evaluation import (
    PeopleScores,
    best_partner_shown,
    duplicate_slots,
    ndcg_at,
    organisation_grades,
    person_ndcg_at,
    recall_at,
    reciprocal_rank,
    trapped,
)


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise():
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(["a", "b", "c"], grades) == 1.0
    assert ndcg_at(["c", "b", "a"], grades) < 1.0
    assert ndcg_at(["x", "y"], grades) == 0.0


def test_recall_and_mrr_count_grade_two_and_up():
    grades = {"a": 3, "b": 1, "c": 2}
    assert recall_at(["x", "a", "b"], grades, 10) == 0.5
    assert math.isclose(reciprocal_rank(["b", "x", "c"], grades), 1 / 3)


def test_a_trap_above_every_right_answer_counts():
    grades = {"right": 3}
    assert trapped(["trap", "right"], grades, ["trap"])
    assert not trapped(["right", "trap"], grades, ["trap"])
    assert trapped(["other", "trap"], grades, ["trap"])


def test_organisation_grades_are_symmetric():
    labels = {"n1": {"relevant": {"o1": 3, "o2": 1}}}
    owner = {"n1": "A", "o1": "B", "o2": "C"}
    grades = organisation_grades(labels, owner)
    assert grades["A"] == {"B": 3, "C": 1} and grades["B"] == {"A": 3}


def test_person_ndcg_gives_a_second_colleague_nothing():
    grades = {"A": 3, "B": 2, "C": 1}
    assert person_ndcg_at(["A", "B", "C"], grades) == 1.0
    # Same organisations, but the second A takes B's slot: lower, though A is graded 3.
    assert person_ndcg_at(["A", "A", "B", "C"], grades) < person_ndcg_at(["A", "B", "C"], grades)
    assert person_ndcg_at(["A", "A", "A", "A", "A"], grades) == person_ndcg_at(["A"], grades)
    assert person_ndcg_at(["X", "Y"], grades) == 0.0


def test_person_ndcg_looks_at_the_first_five_only():
    grades = {"A": 3, "B": 3}
    assert person_ndcg_at(["X", "X", "X", "X", "X", "A", "B"], grades) == 0.0
    assert person_ndcg_at(["X", "X", "X", "X", "A", "B"], grades) > 0.0


def test_duplicate_slots_count_colleagues_of_someone_shown_above():
    assert duplicate_slots(["A", "B", "C", "D", "E"]) == 0
    assert duplicate_slots(["A", "A", "B", "B", "C"]) == 2
    assert duplicate_slots(["A", "B", "C", "D", "E", "A"]) == 0  # sixth slot is not shown


def test_best_partner_shown_counts_any_of_the_highest_grade():
    grades = {"A": 3, "B": 3, "C": 2}
    assert best_partner_shown(["C", "B"], grades) is True
    assert best_partner_shown(["C", "X", "X", "X", "X", "A"], grades) is False
    assert best_partner_shown(["A"], {}) is None


def test_people_scores_rate_duplicates_over_filled_slots():
    scores = PeopleScores()
    scores.add(["A", "A", "B", "C"], {"A": 3, "B": 1})  # one duplicate in four slots
    scores.add(["B"], {"A": 3, "B": 1})  # best partner missing
    summary = scores.summary()
    assert summary["delegates"] == 2
    assert math.isclose(summary["duplicate_rate"], 1 / 5)
    assert summary["best_partner@5"] == 0.5
    assert 0.0 < summary["person_ndcg@5"] < 1.0
