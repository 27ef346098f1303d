"""The OpenAPI schema and the interactive docs, served without any CDN."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_lists_every_endpoint():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/events", "get"),
        ("/api/v1/events/{slug}/opportunities", "get"),
        ("/api/v1/events/{slug}/meeting-requests", "post"),
        ("/api/v1/events/{slug}/meeting-requests/{key}/accept", "post"),
        ("/api/v1/events/{slug}/schedule", "get"),
    ]:
        assert method in paths[path]
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_the_docs_page_loads_only_local_assets():
    page = Client().get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/api/v1/docs/assets/") for s in sources), sources
    # No address of another host anywhere, e.g. in the settings block (a bare "cdn" would
    # also match the random CSRF token now and then).
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page, re.I), page
    for source in sources:
        response = Client().get(source)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)


def test_only_the_docs_assets_are_served():
    assert Client().get("/api/v1/docs/assets/redoc.standalone.js.map").status_code == 404
    assert Client().get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404
