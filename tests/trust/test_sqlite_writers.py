"""SQLite under concurrent writers: they queue instead of failing with "database is locked".

The test database is in memory, where SQLite's locking differs; this test copies its schema
into a file and points each thread's connection at that file, with the production settings'
options (WAL, IMMEDIATE transactions, busy timeout) — the defence under test.
"""

import copy
import sqlite3
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from superconnector.meetings.domain.requests import accept_request, cancel_request, send_request
from superconnector.meetings.models import MeetingRequest, MeetingRequestChange, RequestStatus
from tests.factories import EventFactory, ParticipantFactory
from tests.trust.conftest import race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="about SQLite's locking; PostgreSQL has row locks"
    ),
    pytest.mark.django_db,
]

THREADS = 20


@contextmanager
def file_database(path):
    """Point this thread's default connection at the SQLite file, then restore it."""
    settings = copy.deepcopy(connections.settings["default"])
    settings["NAME"] = str(path)
    wrapper = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "default")
    previous = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = previous


def test_twenty_threads_of_requests_never_see_database_is_locked(tmp_path):
    path = tmp_path / "db.sqlite3"
    # The migrated schema, no rows (a backup would wait for the test's open transaction).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY type = 'index', type = 'trigger'"
        )
        schema = [row[0] for row in cursor.fetchall()]
    with sqlite3.connect(path) as target:
        for statement in schema:
            target.execute(statement)
    with file_database(path):
        assert connections["default"].settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        event = EventFactory(max_pending_requests=THREADS)
        hub = ParticipantFactory(event=event)
        guests = [ParticipantFactory(event=event) for _ in range(THREADS)]

    def workflow(guest):
        # Each step is its own write transaction, plus the outbox's writes after commit.
        with file_database(path):
            request = send_request(guest, hub, message="Shall we meet?")
            accept_request(request, by=hub)
            cancel_request(request, by=guest)
            return request.pk

    results = race([lambda g=g: workflow(g) for g in guests])

    errors = [value for kind, value in results if kind == "error"]
    assert errors == []
    with file_database(path):
        assert MeetingRequest.objects.filter(status=RequestStatus.CANCELLED).count() == THREADS
        assert MeetingRequestChange.objects.count() == 3 * THREADS
