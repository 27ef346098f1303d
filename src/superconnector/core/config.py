"""Layered configuration: built-in defaults, then an optional INI file, then environment variables.

Kept free of Django so it can be tested on its own and read before settings exist.
The file is looked up at $SUPERCONNECTOR_CONFIG_FILE, else ./superconnector.cfg,
~/.superconnector.cfg and /etc/superconnector/superconnector.cfg (first found wins).

    [superconnector]
    data_dir = /var/lib/superconnector
    debug = false
    allowed_hosts = events.example.org
    [database]
    url = postgresql://superconnector@127.0.0.1:5432/superconnector
"""

from __future__ import annotations

import configparser
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

ENV_PREFIX = "SUPERCONNECTOR_"
FILE_CANDIDATES = (
    Path("superconnector.cfg"),
    Path("~/.superconnector.cfg").expanduser(),
    Path("/etc/superconnector/superconnector.cfg"),
)
# (section, option) in the INI file for each setting; the environment variable is
# ENV_PREFIX + the setting name in upper case.
FILE_KEYS = {
    "data_dir": ("superconnector", "data_dir"),
    "debug": ("superconnector", "debug"),
    "secret_key": ("superconnector", "secret_key"),
    "allowed_hosts": ("superconnector", "allowed_hosts"),
    "csrf_trusted_origins": ("superconnector", "csrf_trusted_origins"),
    "site_url": ("superconnector", "site_url"),
    "time_zone": ("superconnector", "time_zone"),
    "database_url": ("database", "url"),
    "database_conn_max_age": ("database", "conn_max_age"),
    "cache_url": ("cache", "url"),
    "email_url": ("mail", "url"),
    "mail_from": ("mail", "from"),
    "encoder": ("matching", "encoder"),
    "https": ("security", "https"),
    "hsts_seconds": ("security", "hsts_seconds"),
    "hsts_preload": ("security", "hsts_preload"),
    "proxy_count": ("security", "proxy_count"),
    "session_idle_minutes": ("security", "session_idle_minutes"),
    "session_max_hours": ("security", "session_max_hours"),
    "organiser_two_factor": ("security", "organiser_two_factor"),
    "audit_retention_days": ("privacy", "audit_retention_days"),
}
DEFAULTS = {
    "data_dir": "./data",
    "debug": "false",
    "secret_key": "",
    "allowed_hosts": "localhost,127.0.0.1,[::1]",
    "csrf_trusted_origins": "",
    # Where mailed links point (https://meet.example.org). Empty: the first allowed host,
    # over https unless `https` is off.
    "site_url": "",
    "time_zone": "Asia/Hong_Kong",
    "database_url": "",
    # Seconds a worker keeps its PostgreSQL connection between requests. Opening one costs
    # a fork and authentication on the server: at 0 that doubled read p95 under load.
    "database_conn_max_age": "60",
    # Empty: a table in the database, which every web process and worker shares without
    # another server; redis://… when the volume asks for it.
    "cache_url": "",
    "email_url": "",
    "mail_from": "Superconnector <noreply@example.org>",
    "encoder": "e5",
    # Empty means "the opposite of debug": production is served over HTTPS, `make demo`
    # over plain http on localhost.
    "https": "",
    "hsts_seconds": "31536000",
    "hsts_preload": "false",
    "proxy_count": "0",
    "session_idle_minutes": "480",
    "session_max_hours": "24",
    # Organisers see every delegate's contact details: a password alone is not enough.
    "organiser_two_factor": "",
    # The audit log outlives the events it covers (it must show who saw what), but not
    # for ever: a search an organiser typed may hold a name. PIPL asks for records of
    # personal-information handling to be kept at least three years.
    "audit_retention_days": "1095",
}
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the setting."""


@dataclass(frozen=True)
class Config:
    data_dir: Path
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    time_zone: str
    database: dict
    email_url: str
    mail_from: str
    encoder: str = "e5"
    https: bool = False
    hsts_seconds: int = 31536000
    hsts_preload: bool = False
    proxy_count: int = 0
    session_idle_minutes: int = 480
    session_max_hours: int = 24
    organiser_two_factor: bool = True
    audit_retention_days: int = 1095
    cache: dict = field(default_factory=lambda: parse_cache_url(""))
    site_url: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def load_config(
    environ: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Config:
    """Merge defaults, the config file and the environment into a checked Config."""
    environ = os.environ if environ is None else environ
    raw, sources = _merge_layers(environ, config_file)
    debug = _parse_bool(raw["debug"], "debug")
    data_dir = Path(raw["data_dir"]).expanduser().resolve()
    return Config(
        data_dir=data_dir,
        debug=debug,
        secret_key=_resolve_secret_key(raw["secret_key"], debug, data_dir),
        allowed_hosts=_split_list(raw["allowed_hosts"]),
        csrf_trusted_origins=_split_list(raw["csrf_trusted_origins"]),
        time_zone=raw["time_zone"],
        database=_with_connection_reuse(
            parse_database_url(raw["database_url"], data_dir),
            _parse_int(raw["database_conn_max_age"], "database_conn_max_age", minimum=0),
        ),
        cache=parse_cache_url(raw["cache_url"]),
        email_url=raw["email_url"],
        mail_from=raw["mail_from"],
        encoder=raw["encoder"],
        https=not debug if not raw["https"].strip() else _parse_bool(raw["https"], "https"),
        hsts_seconds=_parse_int(raw["hsts_seconds"], "hsts_seconds", minimum=0),
        hsts_preload=_parse_bool(raw["hsts_preload"], "hsts_preload"),
        proxy_count=_parse_int(raw["proxy_count"], "proxy_count", minimum=0),
        session_idle_minutes=_parse_int(
            raw["session_idle_minutes"], "session_idle_minutes", minimum=1
        ),
        session_max_hours=_parse_int(raw["session_max_hours"], "session_max_hours", minimum=1),
        # Like https: on in production, off in debug mode, so that `make demo`'s organiser
        # opens the back office without an authenticator app.
        organiser_two_factor=not debug
        if not raw["organiser_two_factor"].strip()
        else _parse_bool(raw["organiser_two_factor"], "organiser_two_factor"),
        audit_retention_days=_parse_int(
            raw["audit_retention_days"], "audit_retention_days", minimum=1
        ),
        site_url=_site_url(raw, debug),
        sources=sources,
    )


def _site_url(raw: Mapping[str, str], debug: bool) -> str:
    """The configured site URL, else the first named allowed host over the scheme in use."""
    if raw["site_url"].strip():
        return raw["site_url"].strip().rstrip("/")
    https = not debug if not raw["https"].strip() else _parse_bool(raw["https"], "https")
    hosts = [h.lstrip(".") for h in _split_list(raw["allowed_hosts"]) if h not in ("*", "")]
    return f"{'https' if https else 'http'}://{hosts[0] if hosts else 'localhost'}"


def _merge_layers(
    environ: Mapping[str, str], config_file: Path | None
) -> tuple[dict[str, str], dict[str, str]]:
    raw = dict(DEFAULTS)
    sources = dict.fromkeys(DEFAULTS, "default")
    path = config_file or _find_config_file(environ)
    if path is not None:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            with path.open(encoding="utf-8") as handle:
                parser.read_file(handle)
        except (OSError, configparser.Error) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        for name, (section, option) in FILE_KEYS.items():
            if parser.has_option(section, option):
                raw[name] = parser.get(section, option)
                sources[name] = str(path)
    for name in DEFAULTS:
        env_name = ENV_PREFIX + name.upper()
        if env_name in environ:
            raw[name] = environ[env_name]
            sources[name] = f"${env_name}"
    return raw, sources


def _find_config_file(environ: Mapping[str, str]) -> Path | None:
    explicit = environ.get(ENV_PREFIX + "CONFIG_FILE")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"SUPERCONNECTOR_CONFIG_FILE points to {path}, which does not exist")
        return path
    return next((path for path in FILE_CANDIDATES if path.is_file()), None)


def _parse_bool(value: str, name: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _parse_int(value: str, name: str, *, minimum: int) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {number}")
    return number


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _resolve_secret_key(value: str, debug: bool, data_dir: Path) -> str:
    if value:
        return value
    if not debug:
        # Production must never run on a guessable or throw-away key: sessions, sign-in
        # links and password resets are signed with it.
        raise ConfigError(
            "SUPERCONNECTOR_SECRET_KEY is not set. Set it (or secret_key in the config file) "
            "for production, or set SUPERCONNECTOR_DEBUG=true for local development."
        )
    # Development: a random key kept in the data directory, so logins survive restarts.
    key_file = data_dir / ".secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def _with_connection_reuse(database: dict, conn_max_age: int) -> dict:
    # SQLite opens a file, not a server connection: nothing to save there, and a kept
    # connection would hold the file open across the demo's resets.
    if database["ENGINE"].endswith("postgresql"):
        database["CONN_MAX_AGE"] = conn_max_age
        # A connection the server dropped (restart, idle timeout) is replaced before use
        # instead of failing the request that picks it up.
        database["CONN_HEALTH_CHECKS"] = conn_max_age > 0
    return database


CACHE_TABLE = "superconnector_cache"  # created by core migration 0005


def parse_cache_url(url: str) -> dict:
    """Turn a cache URL into a Django CACHES entry; empty means the database's cache table.

    The cache holds the throttles' counts (mail requests, two-factor guesses), which every
    process must see: a cache in each process's memory would let each of gunicorn's
    workers count on its own and multiply the limits. So `locmem://` is for a single
    process (a test, a shell), never the default.
    """
    # Django culls these two caches past 300 entries, dropping keys regardless of age:
    # someone asking for mail to hundreds of made-up addresses would wipe the counts,
    # their own network's included. Expired entries go first when culling, so a high cap
    # costs only rows that are gone anyway.
    never_culled = {"MAX_ENTRIES": 1_000_000}
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": never_culled,
        }
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": never_culled}
    raise ConfigError(
        f"cache URL {url!r} has an unsupported scheme {scheme!r}; leave it empty for the "
        "database, or use redis://HOST:PORT/DB"
    )


def parse_database_url(url: str, data_dir: Path) -> dict:
    """Turn a database URL into a Django DATABASES entry; empty means SQLite in data_dir."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "db.sqlite3")}
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"database URL {url!r} names no database (…/DBNAME)")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative/path and sqlite:////absolute/path, as dj-database-url reads them.
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ConfigError(f"database URL {url!r} names no file (sqlite:///PATH)")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise ConfigError(
        f"database URL {url!r} has an unsupported scheme {parts.scheme!r}; "
        "use postgresql://… or sqlite:///…"
    )
