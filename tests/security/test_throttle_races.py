"""Throttles hold under parallel requests, on every shared cache the platform runs with.

The count and the check are one atomic step: before, the database cache read a count and
wrote it back, so that 40 parallel wrong two-factor codes had 15 checked (limit 5) and 30
parallel sign-in-link requests for one address sent 6 mails (limit 3). And a two-factor
code, like a password, is counted before it is checked, so that parallel guesses cannot
all pass a check made before any of them was counted (django-axes alone let 40 parallel
wrong passwords all be tried).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import CacheHandler

from superconnector.core.config import parse_cache_url
from superconnector.core.domain import throttle
from superconnector.core.domain.totp import WRONG_CODE_LIMIT
from tests.security import throttle_race
from tests.security.test_shared_cache import REDIS_URL, redis_reachable
from tests.trust.conftest import many_connections  # noqa: F401

# Parallel processes and threads on SQLite files, PostgreSQL and Redis of their own.
pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 5

postgresql_only = pytest.mark.skipif(
    not os.environ.get("SUPERCONNECTOR_DATABASE_URL", "").startswith("postgres"),
    reason="the suite runs on SQLite (whose case runs in a separate process, above)",
)
needs_redis = pytest.mark.skipif(
    not redis_reachable() and os.environ.get("SUPERCONNECTOR_REQUIRE_REDIS") != "1",
    reason="no Redis at 127.0.0.1:6379 (CI starts one and sets SUPERCONNECTOR_REQUIRE_REDIS=1)",
)


# --- SQLite: a file database shared by threads on their own connections -----------------


def _production_env(data_dir: Path, cache_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "SUPERCONNECTOR_DATA_DIR": str(data_dir),
        "SUPERCONNECTOR_SECRET_KEY": "k",
        "SUPERCONNECTOR_DEBUG": "false",
        "SUPERCONNECTOR_HTTPS": "false",
        "DJANGO_SETTINGS_MODULE": "superconnector.settings",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
        ),
    }
    for name in ("SUPERCONNECTOR_DATABASE_URL", "SUPERCONNECTOR_CACHE_URL"):
        env.pop(name, None)  # the embedded default: SQLite in the data dir, its cache table
    if cache_url:
        env["SUPERCONNECTOR_CACHE_URL"] = cache_url
    return env


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite data dir, made once and copied for each scenario."""
    data_dir = tmp_path_factory.mktemp("throttle-template")
    command = [sys.executable, "-m", "superconnector", "migrate", "--no-input", "-v0"]
    done = subprocess.run(
        command, env=_production_env(data_dir), capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr
    return data_dir


def run_on_sqlite(scenario: str, template: Path, tmp_path: Path, cache_url: str = "") -> dict:
    """Run a scenario in a separate process with the production settings, on a copy of the
    migrated SQLite file, counting in the database (default) or in `cache_url`."""
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    command = [sys.executable, "-m", "tests.security.throttle_race", scenario]
    env = _production_env(tmp_path, cache_url)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_forty_parallel_hits_on_sqlite_let_through_at_most_the_limit(migrated_sqlite, tmp_path):
    result = run_on_sqlite("hits", migrated_sqlite, tmp_path)
    assert result["allowed"] == LIMIT, result
    assert result["counted"] == 40, result


@pytest.mark.slow
def test_forty_parallel_wrong_codes_on_sqlite_check_at_most_five(migrated_sqlite, tmp_path):
    result = run_on_sqlite("wrong-codes", migrated_sqlite, tmp_path)
    assert result["checked"] <= WRONG_CODE_LIMIT, result
    assert result["checked"] + result["refused"] == 40, result


@pytest.mark.slow
def test_thirty_parallel_link_requests_on_sqlite_send_at_most_three_mails(
    migrated_sqlite, tmp_path
):
    result = run_on_sqlite("sign-in-links", migrated_sqlite, tmp_path)
    assert 1 <= result["mails"] <= throttle.MAIL_PER_ADDRESS, result
    assert result["answers"] == {"302": 30}, result


@pytest.mark.slow
def test_forty_parallel_wrong_passwords_on_sqlite_check_at_most_five(migrated_sqlite, tmp_path):
    result = run_on_sqlite("wrong-passwords", migrated_sqlite, tmp_path)
    assert result["checked"] <= settings.AXES_FAILURE_LIMIT, result
    assert set(result["answers"]) <= {"200", "429"}, result


# --- PostgreSQL: the suite's own database, threads on their own connections ---------------


@pytest.fixture
def database_cache(monkeypatch):
    """The production default, the database's cache (the suite otherwise counts in memory)."""
    cache = CacheHandler({"default": parse_cache_url("")}).create_connection("default")
    cache.clear()
    monkeypatch.setattr(throttle, "cache", cache)
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_in_the_database_a_window_ends_and_the_next_one_starts_from_one(database_cache):
    import datetime as dt

    from django.utils import timezone

    from superconnector.core.models import ThrottleCount

    assert [throttle.hit("t", "x", limit=2) for _ in range(3)] == [True, True, False]
    assert throttle.hits("t", "x") == 3 and ThrottleCount.objects.get().count == 3
    ThrottleCount.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert throttle.hits("t", "x") == 0  # an ended window counts nothing
    assert throttle.hit("t", "x", limit=2)
    row = ThrottleCount.objects.get()
    assert row.count == 1 and row.expires_at > timezone.now() + dt.timedelta(minutes=14)
    throttle.forget("t", "x")
    assert not ThrottleCount.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_hits_on_postgresql_let_through_at_most_the_limit(
    database_cache,
    many_connections,  # noqa: F811
):
    result = throttle_race.parallel_hits()
    assert result["allowed"] == LIMIT, result
    assert result["counted"] == 40, result


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_codes_on_postgresql_check_at_most_five(
    database_cache,
    many_connections,  # noqa: F811
):
    result = throttle_race.parallel_wrong_codes()
    assert result["checked"] <= WRONG_CODE_LIMIT, result
    assert result["checked"] + result["refused"] == 40, result


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_link_requests_on_postgresql_send_at_most_three_mails(
    database_cache,
    many_connections,  # noqa: F811
):
    result = throttle_race.parallel_sign_in_link_requests()
    assert 1 <= result["mails"] <= throttle.MAIL_PER_ADDRESS, result
    assert result["answers"] == {302: 30}, result


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_on_postgresql_check_at_most_five(
    database_cache,
    many_connections,  # noqa: F811
):
    result = throttle_race.parallel_wrong_passwords()
    assert result["checked"] <= settings.AXES_FAILURE_LIMIT, result
    assert set(result["answers"]) <= {200, 429}, result


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_cache(monkeypatch):
    cache = CacheHandler({"default": parse_cache_url(REDIS_URL)}).create_connection("default")
    monkeypatch.setattr(throttle, "cache", cache)
    return cache


@needs_redis
def test_forty_parallel_hits_on_redis_let_through_at_most_the_limit(redis_cache):
    result = throttle_race.parallel_hits()
    assert result["allowed"] == LIMIT, result
    assert result["counted"] == 40, result


# Counting in Redis, with the requests served on a SQLite file (the suite's in-memory
# database cannot take writers on several connections).


@needs_redis
@pytest.mark.slow
def test_forty_parallel_wrong_codes_on_redis_check_at_most_five(migrated_sqlite, tmp_path):
    result = run_on_sqlite("wrong-codes", migrated_sqlite, tmp_path, REDIS_URL)
    assert result["checked"] <= WRONG_CODE_LIMIT, result
    assert result["checked"] + result["refused"] == 40, result


@needs_redis
@pytest.mark.slow
def test_thirty_parallel_link_requests_on_redis_send_at_most_three_mails(migrated_sqlite, tmp_path):
    result = run_on_sqlite("sign-in-links", migrated_sqlite, tmp_path, REDIS_URL)
    assert 1 <= result["mails"] <= throttle.MAIL_PER_ADDRESS, result
    assert result["answers"] == {"302": 30}, result


@needs_redis
@pytest.mark.slow
def test_forty_parallel_wrong_passwords_on_redis_check_at_most_five(migrated_sqlite, tmp_path):
    result = run_on_sqlite("wrong-passwords", migrated_sqlite, tmp_path, REDIS_URL)
    assert result["checked"] <= settings.AXES_FAILURE_LIMIT, result
    assert set(result["answers"]) <= {"200", "429"}, result
