"""Settings for the test suite: the real settings with test-only keys and a throw-away data dir."""

import os
import tempfile

os.environ.setdefault("SUPERCONNECTOR_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SUPERCONNECTOR_DATA_DIR", tempfile.mkdtemp(prefix="superconnector-test-"))
os.environ.setdefault("SUPERCONNECTOR_DEBUG", "false")
# The test client speaks plain http; production's HTTPS redirect and secure cookies are
# covered by tests/security/test_deploy.py.
os.environ.setdefault("SUPERCONNECTOR_HTTPS", "false")

from superconnector.core.config import parse_cache_url
from superconnector.settings import *  # noqa: F403

# Hashing at full strength makes every login in a test take a quarter of a second.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process per test run: the throttles' counts are cleared between tests without a
# database (tests/security/conftest.py). The shared caches production uses (the database
# table by default, Redis) are tested in tests/security/test_shared_cache.py.
CACHES = {"default": parse_cache_url("locmem://")}

# The bundled e5 model encodes ~35 texts a second here; the suite uses the model-free
# hashing encoder, and tests of the e5 encoder itself ask for it explicitly.
SUPERCONNECTOR_ENCODER = "hashing"

# Hundreds of back-office tests sign organisers in with force_login; the second factor is
# tested on its own, with this switched on, in tests/security/test_two_factor.py.
SUPERCONNECTOR_ORGANISER_TWO_FACTOR = False
