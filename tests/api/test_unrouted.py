"""Answers the API's own handlers never see (no such path, a method the path does not take)
come in the API's error shape, so that a client parses one format."""

import pytest


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/events/"])
def test_an_unknown_api_path_is_a_json_404_naming_it(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": f"No API endpoint at {path}.", "code": "not_found"}


def test_a_method_the_path_does_not_take_is_a_json_405_with_allow(client):
    response = client.delete("/api/v1/events")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert "DELETE is not allowed on /api/v1/events" in body["detail"]


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
