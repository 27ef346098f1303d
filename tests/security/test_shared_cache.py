"""The throttles' counts (mail requests, two-factor guesses) live in a cache that every
process shares: with a cache in each process's memory, each of gunicorn's workers would
count on its own, and three workers would triple every limit."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
from django.core.cache import CacheHandler

from superconnector.core.config import ConfigError, load_config, parse_cache_url
from superconnector.core.domain import throttle

REDIS_URL = os.environ.get("SUPERCONNECTOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_the_default_cache_is_the_database_table_not_process_memory(tmp_path):
    env = {"SUPERCONNECTOR_SECRET_KEY": "k", "SUPERCONNECTOR_DATA_DIR": str(tmp_path)}
    cache = load_config(env, None).cache
    assert cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    env["SUPERCONNECTOR_CACHE_URL"] = "redis://cache.internal:6379/2"
    assert load_config(env, None).cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }


def test_an_unknown_cache_scheme_is_a_configuration_error_naming_it():
    with pytest.raises(ConfigError, match=r"memcache://x.*unsupported scheme 'memcache'"):
        parse_cache_url("memcache://x")


COUNT_ONE_REQUEST = """
from django.test import RequestFactory
from superconnector.core.domain.throttle import allow_mail_request
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
print(allow_mail_request(request, "amy@example.com", "sign-in-link"))
"""


@pytest.mark.integration  # four processes on a SQLite file of their own
def test_separate_processes_count_together_in_the_default_cache(tmp_path):
    """Four processes (as four gunicorn workers would) each ask to mail the same address
    once: the fourth is over the limit of three, which it can only know from the others."""
    env = {
        **os.environ,
        "SUPERCONNECTOR_DATA_DIR": str(tmp_path),
        "SUPERCONNECTOR_SECRET_KEY": "k",
        "SUPERCONNECTOR_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "superconnector.settings",
    }
    for name in ("SUPERCONNECTOR_DATABASE_URL", "SUPERCONNECTOR_CACHE_URL"):
        env.pop(name, None)  # the embedded default: SQLite in the data dir, its cache table

    def run(*args: str) -> str:
        command = [sys.executable, "-m", "superconnector", *args]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    run("migrate", "--no-input", "-v0")  # the migration creates the cache table
    answers = [run("shell", "-v0", "-c", COUNT_ONE_REQUEST) for _ in range(4)]
    assert answers == ["True", "True", "True", "False"]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.integration  # a real Redis
@pytest.mark.skipif(
    not redis_reachable() and os.environ.get("SUPERCONNECTOR_REQUIRE_REDIS") != "1",
    reason="no Redis at 127.0.0.1:6379 (CI starts one and sets SUPERCONNECTOR_REQUIRE_REDIS=1)",
)
def test_two_redis_connections_count_together(monkeypatch):
    config = {"default": parse_cache_url(REDIS_URL)}
    worker_a = CacheHandler(config).create_connection("default")
    worker_b = CacheHandler(config).create_connection("default")  # its own connection pool
    address = f"{uuid.uuid4()}@example.com"  # nothing left from an earlier run counts
    try:
        monkeypatch.setattr(throttle, "cache", worker_a)
        assert all(throttle.hit("test", address, limit=3) for _ in range(2))
        monkeypatch.setattr(throttle, "cache", worker_b)
        assert throttle.hit("test", address, limit=3)
        assert not throttle.hit("test", address, limit=3)
        assert throttle.hits("test", address) == 4
    finally:
        worker_a.delete(throttle._key("test", address))


def test_check_deploy_warns_of_a_cache_in_process_memory(settings):
    from django.core.checks import run_checks

    def warnings() -> set[str]:
        return {message.id for message in run_checks(include_deployment_checks=True)}

    settings.CACHES = {"default": parse_cache_url("")}
    assert "superconnector.W003" not in warnings()
    settings.CACHES = {"default": parse_cache_url("locmem://")}  # as the test suite runs
    assert "superconnector.W003" in warnings()


@pytest.mark.django_db
def test_made_up_addresses_cannot_wipe_the_counts_of_real_ones(monkeypatch):
    """Each request for mail to a new address adds a key to the (default, database) cache.
    Past Django's usual cap of 300 entries it culls a third of the keys in key order, and
    the counts of the addresses already mailed three times would go with them: a flood
    from many networks could then mail them again and again."""
    from django.test import RequestFactory

    cache = CacheHandler({"default": parse_cache_url("")}).create_connection("default")
    monkeypatch.setattr(throttle, "cache", cache)

    def ask(address: str, network: int) -> bool:
        request = RequestFactory().post("/", REMOTE_ADDR=f"198.51.{network // 256}.{network % 256}")
        return throttle.allow_mail_request(request, address, "sign-in-link")

    victims = [f"delegate-{n}@example.com" for n in range(10)]
    for victim in victims:
        assert all(ask(victim, 0) for _ in range(throttle.MAIL_PER_ADDRESS))
    for n in range(400):
        ask(f"made-up-{n}@example.com", n + 1)
    assert not any(ask(victim, 999) for victim in victims)  # still at their limit
