"""Helpers for the trust tests: racing threads, each on its own database connection."""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connections

# Racing needs real row locks and concurrent writers; SQLite serialises every writer (and the
# test database there is in memory), so these races cannot happen on it.
postgresql_only = pytest.mark.skipif(
    not os.environ.get("SUPERCONNECTOR_DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: SQLite serialises writers, so these races cannot occur there",
)


def race(calls: list[Callable[[], object]], timeout: float = 60) -> list[tuple[str, object]]:
    """Run each call in its own thread, released together by a barrier.

    Returns ("ok", result) or ("error", exception) per call, in order. Each thread has its
    own connection (Django keeps them per thread) and closes it, so that the test database
    can be flushed and dropped afterwards.
    """
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("error", TimeoutError("did not finish"))] * len(calls)

    def work(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = ("ok", call())
        except Exception as exc:  # reported to the test, which decides
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    return results


@pytest.fixture
def many_connections():
    """Fifty connections at once: one such test at a time across xdist workers, so that two
    of them together do not pass PostgreSQL's default max_connections (100)."""
    lock = Path(tempfile.gettempdir()) / "superconnector-trust-connections.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
