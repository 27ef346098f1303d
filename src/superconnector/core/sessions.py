"""Django's database sessions, with keys checked before they reach the database.

A session cookie is whatever the client sends. Django only checks its length, so a key
with a NUL character went into the query, and PostgreSQL refuses NUL in text: every page
answered 500 to such a cookie. Keys Django makes are lowercase letters and digits; any
other cookie is treated as no session at all.
"""

from __future__ import annotations

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

VALID_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key) -> bool:
        return isinstance(key, str) and VALID_KEY.fullmatch(key) is not None
