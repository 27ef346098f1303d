"""Production settings pass `check --deploy`; development still works over http."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from superconnector.core.config import ConfigError, load_config

# Each test runs Django's settings and checks in a subprocess.
pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path, code_or_args: list[str], **env) -> subprocess.CompletedProcess:
    # Only what a production server would have: not the suite's SUPERCONNECTOR_* values,
    # nor DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set.
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SUPERCONNECTOR_", "DJANGO_"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="superconnector.settings",
        SUPERCONNECTOR_DATA_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "SUPERCONNECTOR_DEBUG": "false",
    "SUPERCONNECTOR_SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-key-1234567",
    "SUPERCONNECTOR_ALLOWED_HOSTS": "events.example.org",
}


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(
        tmp_path,
        ["-m", "superconnector", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_AGE', "
    "'SUPERCONNECTOR_SESSION_MAX_AGE']}))"
)


def settings_with(tmp_path, **env) -> dict:
    result = run(tmp_path, ["-c", SHOW], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_https_only_and_development_is_not(tmp_path):
    production = settings_with(tmp_path, **PRODUCTION)
    assert production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"]
    assert production["CSRF_COOKIE_SECURE"] and production["SECURE_HSTS_SECONDS"] >= 31536000
    development = settings_with(tmp_path, SUPERCONNECTOR_DEBUG="true")
    assert not development["SECURE_SSL_REDIRECT"] and not development["SESSION_COOKIE_SECURE"]
    assert development["SECURE_HSTS_SECONDS"] == 0


def test_https_and_session_lengths_are_configurable(tmp_path):
    found = settings_with(
        tmp_path,
        **PRODUCTION,
        SUPERCONNECTOR_HTTPS="false",
        SUPERCONNECTOR_SESSION_IDLE_MINUTES="30",
        SUPERCONNECTOR_SESSION_MAX_HOURS="12",
    )
    assert not found["SECURE_SSL_REDIRECT"] and found["SECURE_HSTS_SECONDS"] == 0
    assert found["SESSION_COOKIE_AGE"] == 1800
    assert found["SUPERCONNECTOR_SESSION_MAX_AGE"] == 12 * 3600
    behind_proxy = settings_with(tmp_path, **PRODUCTION, SUPERCONNECTOR_PROXY_COUNT="1")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_config_defaults_and_errors(tmp_path):
    base = {"SUPERCONNECTOR_DATA_DIR": str(tmp_path), "SUPERCONNECTOR_SECRET_KEY": "x"}
    config = load_config(base, config_file=None)
    assert config.https and config.session_idle_minutes == 480 and config.session_max_hours == 24
    assert not load_config({**base, "SUPERCONNECTOR_DEBUG": "1"}).https
    with pytest.raises(ConfigError, match="session_idle_minutes"):
        load_config({**base, "SUPERCONNECTOR_SESSION_IDLE_MINUTES": "0"})
    with pytest.raises(ConfigError, match="proxy_count"):
        load_config({**base, "SUPERCONNECTOR_PROXY_COUNT": "two"})
