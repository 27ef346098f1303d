"""Where a `next` parameter may send people: only to paths on this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(next_url: str | None) -> str:
    """`next_url` if it is a path on this site, else "" (no open redirects: a link in a
    mail or a form must not bounce people to another host, `//evil.example` included)."""
    if (
        next_url
        and next_url.startswith("/")
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None, require_https=False)
    ):
        return next_url
    return ""
