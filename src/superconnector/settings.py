"""Django settings, built from the layered configuration in superconnector.core.config."""

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from superconnector.core.config import load_config

CONFIG = load_config()
BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
# Mailed links start with this (core/domain/signin.py's site_url).
SUPERCONNECTOR_SITE_URL = CONFIG.site_url
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Before django_tasks_db: core's db_worker command replaces the package's (it survives
    # a locked SQLite database).
    "superconnector.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "superconnector.events",
    "superconnector.directory",
    "superconnector.meetings",
    "superconnector.matchmaking",
    "superconnector.exchange",
    "superconnector.demo",
    "superconnector.portal",
    "superconnector.backoffice",
    "superconnector.api",
    "superconnector.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security: it rewrites 404 and 405 answers under /api/ as JSON.
    "superconnector.api.middleware.ApiErrorsAsJsonMiddleware",
    # A view's write that met a locked database answers 503 "busy, try again", not 500.
    "superconnector.core.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "superconnector.core.middleware.SessionLifetimeMiddleware",
    # After the lifetime check, so an expired session is signed out rather than asked for
    # a code; before the views it guards.
    "superconnector.core.middleware.OrganiserTwoFactorMiddleware",
    "superconnector.portal.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "superconnector.urls"
WSGI_APPLICATION = "superconnector.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": CONFIG.database}
CACHES = {"default": CONFIG.cache}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside a writer; IMMEDIATE transactions take the write lock at
    # BEGIN so that two writers queue on the timeout instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# Argon2 for new and changed passwords; the others still check (and on success upgrade)
# hashes made before it was the default.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses a login before any password is checked once an e-mail address has
# had AXES_FAILURE_LIMIT wrong passwords within the cool-off time; our subclass of its
# backend also counts each try before its password is checked, atomically, so that
# parallel guesses cannot all pass axes' check (core/backends.py).
AUTHENTICATION_BACKENDS = [
    "superconnector.core.backends.CountingAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# By address, not by IP: hundreds of delegates share the venue's Wi-Fi, and one of them
# mistyping must not lock out the rest. Unknown addresses are counted like known ones, so
# the lockout does not tell which addresses have accounts.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "superconnector.core.domain.throttle.login_username"
AXES_CLIENT_IP_CALLABLE = "superconnector.core.domain.throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = CONFIG.time_zone
USE_I18N = True
USE_TZ = True
# Our own display formats (superconnector/formats/): dates that read one way only.
FORMAT_MODULE_PATH = ["superconnector.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names once `collectstatic` has written its manifest (production);
        # plain names before that, so a fresh checkout serves pages without a build step.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if (STATIC_ROOT / "staticfiles.json").is_file()
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the app folders, so `runserver` without DEBUG and a fresh
# checkout without `collectstatic` still have styled pages.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Text encoder for matching: e5 (bundled), hashing, or sentence-transformers:PATH.
SUPERCONNECTOR_ENCODER = CONFIG.encoder

# Sessions end after SESSION_COOKIE_AGE without a request and, whatever the activity,
# SUPERCONNECTOR_SESSION_MAX_AGE after signing in; core.middleware.SessionLifetimeMiddleware
# slides the idle expiry (once a minute, not a write per request) and enforces both.
SESSION_ENGINE = "superconnector.core.sessions"
SESSION_COOKIE_AGE = CONFIG.session_idle_minutes * 60
SUPERCONNECTOR_SESSION_MAX_AGE = CONFIG.session_max_hours * 3600
SUPERCONNECTOR_PROXY_COUNT = CONFIG.proxy_count
# Organisers need a second factor (TOTP) for the back office, the admin and the session
# API; core.middleware.OrganiserTwoFactorMiddleware enforces it, `check --deploy` warns
# when it is off.
SUPERCONNECTOR_ORGANISER_TWO_FACTOR = CONFIG.organiser_two_factor
SUPERCONNECTOR_AUDIT_RETENTION_DAYS = CONFIG.audit_retention_days

# Transport security. CONFIG.https is on by default in production and off in debug mode,
# so that `make demo` still works over http://127.0.0.1.
SECURE_SSL_REDIRECT = CONFIG.https
SESSION_COOKIE_SECURE = CONFIG.https
CSRF_COOKIE_SECURE = CONFIG.https
LANGUAGE_COOKIE_SECURE = CONFIG.https
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds if CONFIG.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.https
SECURE_HSTS_PRELOAD = CONFIG.https and CONFIG.hsts_preload
# axes.W006 asks for lockouts by IP too; that is deliberate here (see AXES_LOCKOUT_PARAMETERS),
# and the bypass it warns about (rotating User-Agents or cookies) does not touch a count
# kept per submitted address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way door (browsers ship the list for months, for every
    # subdomain), so it is the operator's choice, not a default `check --deploy` nags about.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if CONFIG.https and CONFIG.proxy_count:
    # Behind a TLS-terminating proxy Django sees plain http; trust the proxy's word only
    # when the operator said there is one, or SSL redirects would loop.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere: templates load static files only, so an injected
# <script> or onclick="" does not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if not CONFIG.email_url
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = CONFIG.mail_from

# Largest upload an organiser may import in one go (delegate lists, exchange files). The
# import view and command refuse a larger file with their own message; it is far above the
# 100,000-row cap of delegate lists (about 12 MB as CSV), so such a list is refused for its
# rows, with that message, not for its size. Behind a proxy, let it pass bodies this big
# on /orga/ (nginx: client_max_body_size 51m).
SUPERCONNECTOR_MAX_IMPORT_BYTES = 50 * 1024 * 1024
# Request size limits (docs/security.md). Forms and API bodies are small (a meeting request
# with its message, a profile; the largest form is a page of 100 profiles' checkboxes), so
# more than 1 MB of them, or more than 1,000 fields, is refused with 400 before it is
# parsed. Uploaded files do not count towards these: imports have their own cap above,
# and one above FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to a temporary file while the
# request is read instead of being held in memory. Imports send one file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
