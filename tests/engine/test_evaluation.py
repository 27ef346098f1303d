import math

from superconnector.engine.evaluation import (
    ndcg_at,
    organisation_grades,
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
