"""Natural order of table labels: T1, T2, …, T10, wherever tables are listed."""

import pytest

from superconnector.api.auth import EventAccess
from superconnector.api.queries import stored_schedule_document
from superconnector.core.domain.ordering import natural_key
from superconnector.exchange.exporter import export_meetings
from superconnector.meetings.domain.agenda import table_plan_rows
from tests.scenario import Scenario

SHUFFLED = ["T10", "T2", "Booth B", "T1", "t3", "T11", "booth A", "T02"]


def test_digit_runs_compare_as_numbers_and_letters_without_case():
    assert sorted(SHUFFLED, key=natural_key) == [
        "booth A",
        "Booth B",
        "T1",
        "T02",
        "T2",
        "t3",
        "T10",
        "T11",
    ]
    assert natural_key("T2") < natural_key("T10") < natural_key("T11")
    assert natural_key("T02") != natural_key("T2")  # equal numbers, still two labels


@pytest.fixture
def twelve_tables(db):
    """Five meetings in one slot at T10, T2, T11, T1 and T9, made in that order."""
    expo = Scenario.create("expo").session("am", tables=12)
    for n, table in enumerate(["T10", "T2", "T11", "T1", "T9"]):
        expo.participant(f"a{n}").participant(f"b{n}")
        expo.request(f"r{n}", f"a{n}", f"b{n}", "accepted").meeting(f"r{n}", table=table)
    return expo.event


EXPECTED = ["T1", "T2", "T9", "T10", "T11"]


def test_the_table_plan_walks_the_tables_in_natural_order(twelve_tables):
    assert [row[4] for row in table_plan_rows(twelve_tables)] == EXPECTED


def test_the_exchange_export_and_the_stored_schedule_list_tables_in_natural_order(
    twelve_tables,
):
    assert [m["table"] for m in export_meetings(twelve_tables)] == EXPECTED
    access = EventAccess(event=twelve_tables, rights=frozenset({"view"}), participant=None)
    assert [m["table"] for m in stored_schedule_document(access)["meetings"]] == EXPECTED
