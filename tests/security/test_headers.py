"""The Content-Security-Policy forbids inline script, and no template relies on any; the
other security headers are sent."""

import re
from pathlib import Path

import pytest

import superconnector

pytestmark = pytest.mark.django_db

SOURCE = Path(superconnector.__file__).resolve().parent
TEMPLATES = sorted(SOURCE.rglob("templates/**/*.html"))

# An executable <script> without src= (a JSON data block is not run, and CSP allows it).
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/docs"])
def test_pages_carry_the_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_pages_carry_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_template_scan_sees_the_templates():
    assert len(TEMPLATES) > 20
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert EVENT_HANDLER.search('<button onclick="x()">')
    assert INLINE_STYLE.search('<p style="color:red">')


@pytest.mark.parametrize(
    ("name", "pattern"),
    [("inline <script>", INLINE_SCRIPT), ("on…= handler", EVENT_HANDLER), ("style", INLINE_STYLE)],
)
def test_no_template_has_inline_script_or_style(name, pattern):
    found = [
        f"{path.relative_to(SOURCE)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in TEMPLATES
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert found == [], f"{name} in templates (the CSP blocks it; use a static file)"
