"""/api/v1/ itself answers JSON, like every other address under /api/ (audit finding 8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_root_is_a_json_index_of_the_endpoints(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["docs"] == "/api/v1/docs/" and data["openapi"] == "/api/v1/openapi.json"
    paths = {e["path"] for e in data["endpoints"]}
    assert "/api/v1/records" in paths and "/api/v1/organs" in paths
    assert client.get(data["openapi"]).status_code == 200
