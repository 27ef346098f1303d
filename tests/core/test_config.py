from pathlib import Path

import pytest

from superconnector.core.config import ConfigError, load_config, parse_database_url


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "superconnector.cfg"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_safe(tmp_path):
    config = load_config(
        {"SUPERCONNECTOR_SECRET_KEY": "k", "SUPERCONNECTOR_DATA_DIR": str(tmp_path)}, None
    )
    assert config.debug is False
    assert config.allowed_hosts == ["localhost", "127.0.0.1", "[::1]"]
    assert config.database == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "db.sqlite3"),
    }


def test_file_overrides_defaults_and_environment_overrides_file(tmp_path):
    path = write_config(
        tmp_path,
        (
            "[superconnector]\ndebug = true\nallowed_hosts = events.example.org, x.example.org\n"
            f"data_dir = {tmp_path}/from-file\n[database]\nurl = postgresql://u@db.example.org/sc\n"
        ),
    )
    config = load_config({"SUPERCONNECTOR_ALLOWED_HOSTS": "env.example.org"}, path)
    assert config.debug is True
    assert config.allowed_hosts == ["env.example.org"]
    assert config.data_dir == (tmp_path / "from-file").resolve()
    assert config.database["HOST"] == "db.example.org"
    assert config.sources["allowed_hosts"] == "$SUPERCONNECTOR_ALLOWED_HOSTS"
    assert config.sources["debug"] == str(path)


def test_config_file_named_by_the_environment(tmp_path):
    path = write_config(tmp_path, "[superconnector]\nsecret_key = from-file\n")
    config = load_config(
        {"SUPERCONNECTOR_CONFIG_FILE": str(path), "SUPERCONNECTOR_DATA_DIR": str(tmp_path)}
    )
    assert config.secret_key == "from-file"
    with pytest.raises(ConfigError, match="does not exist"):
        load_config({"SUPERCONNECTOR_CONFIG_FILE": str(tmp_path / "nope.cfg")})


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SUPERCONNECTOR_SECRET_KEY is not set"):
        load_config({"SUPERCONNECTOR_DATA_DIR": str(tmp_path)}, None)


def test_development_keeps_a_generated_secret_key(tmp_path):
    env = {"SUPERCONNECTOR_DEBUG": "yes", "SUPERCONNECTOR_DATA_DIR": str(tmp_path)}
    first = load_config(env, None).secret_key
    assert len(first) > 40
    assert load_config(env, None).secret_key == first
    assert (tmp_path / ".secret_key").stat().st_mode & 0o077 == 0


def test_bad_values_name_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="debug must be true or false"):
        load_config({"SUPERCONNECTOR_DEBUG": "perhaps"}, None)
    with pytest.raises(ConfigError, match="unsupported scheme 'mysql'"):
        parse_database_url("mysql://x/y", tmp_path)
    with pytest.raises(ConfigError, match="names no database"):
        parse_database_url("postgresql://127.0.0.1:5432/", tmp_path)


def test_database_urls():
    pg = parse_database_url(
        "postgresql://sc:p%40ss@127.0.0.1:5433/events?sslmode=require", Path("/d")
    )
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "sc",
        "p@ss",
        "127.0.0.1",
        "5433",
        "events",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert (
        parse_database_url("sqlite:////var/lib/sc/db.sqlite3", Path("/d"))["NAME"]
        == "/var/lib/sc/db.sqlite3"
    )


def test_postgresql_connections_are_kept_and_checked_before_reuse(tmp_path):
    base = {
        "SUPERCONNECTOR_SECRET_KEY": "k",
        "SUPERCONNECTOR_DATA_DIR": str(tmp_path),
        "SUPERCONNECTOR_DATABASE_URL": "postgresql://u@127.0.0.1/sc",
    }
    kept = load_config(base, None).database
    assert (kept["CONN_MAX_AGE"], kept["CONN_HEALTH_CHECKS"]) == (60, True)
    closed = load_config({**base, "SUPERCONNECTOR_DATABASE_CONN_MAX_AGE": "0"}, None).database
    assert (closed["CONN_MAX_AGE"], closed["CONN_HEALTH_CHECKS"]) == (0, False)
    with pytest.raises(ConfigError, match="database_conn_max_age must be at least 0"):
        load_config({**base, "SUPERCONNECTOR_DATABASE_CONN_MAX_AGE": "-1"}, None)


def test_sqlite_connections_are_not_kept(tmp_path):
    env = {"SUPERCONNECTOR_SECRET_KEY": "k", "SUPERCONNECTOR_DATA_DIR": str(tmp_path)}
    assert "CONN_MAX_AGE" not in load_config(env, None).database


def test_the_command_reports_a_configuration_error_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    env["SUPERCONNECTOR_DATA_DIR"] = str(tmp_path)
    env["SUPERCONNECTOR_DATABASE_CONN_MAX_AGE"] = "soon"
    env["SUPERCONNECTOR_DEBUG"] = "true"
    result = subprocess.run(
        [sys.executable, "-m", "superconnector", "check"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "superconnector: configuration error: database_conn_max_age must be a whole number,"
        " not 'soon'\n"
    )


def test_the_site_url_for_mailed_links_is_configured_or_follows_the_first_host():
    from superconnector.core.config import load_config

    base = {"SUPERCONNECTOR_DEBUG": "true"}
    assert load_config(base | {"SUPERCONNECTOR_ALLOWED_HOSTS": "meet.example.org"}).site_url == (
        "http://meet.example.org"
    )
    configured = base | {"SUPERCONNECTOR_SITE_URL": "https://meet.example.org/"}
    assert load_config(configured).site_url == "https://meet.example.org"
