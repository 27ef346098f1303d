"""Whatever JSON arrives, reading it ends in a parsed document or a list of problems, never a crash."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from superconnector.exchange.document import read_document
from superconnector.exchange.problems import ImportRejected
from tests.conftest import SMALL_DOCUMENT

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def read(data):
    try:
        parsed = read_document(data, lenient=False)
    except ImportRejected as rejected:
        assert rejected.problems and all(p.path.startswith("$") for p in rejected.problems)
        return None
    return parsed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_is_rejected_cleanly(data):
    # No value drawn here can be a document: "format" must be "superconnector/v1", longer
    # than any string the strategy makes. So each must be refused, with problems.
    assert read(data) is None


@settings(max_examples=200, deadline=None)
@given(
    list_name=st.sampled_from(
        [
            "organisations",
            "participants",
            "opportunities",
            "meeting_sessions",
            "availability",
            "meeting_requests",
            "meetings",
        ]
    ),
    field=st.text(min_size=1, max_size=12),
    value=json_values,
)
def test_corrupting_one_field_of_a_valid_document_never_crashes(list_name, field, value):
    document = copy.deepcopy(SMALL_DOCUMENT)
    rows = document[list_name]
    rows[0][field] = value
    parsed = read(document)
    if parsed is not None:
        # Whatever was accepted came out canonical: every row still has its key field.
        assert all(isinstance(row, dict) for row in parsed.lists[list_name] or [])


@pytest.mark.parametrize("lenient", [False, True])
def test_the_small_document_reads_cleanly(lenient):
    parsed = read_document(copy.deepcopy(SMALL_DOCUMENT), lenient=lenient)
    assert not parsed.problems
