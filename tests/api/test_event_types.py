"""GET /v1/event-types: the catalog a webhook endpoint subscribes from."""

from fastapi.testclient import TestClient

from atrium.webhooks.events import WebhookEndpointChanged
from tests.api.conftest import Tenant


def test_the_catalog_lists_deliverable_types_with_schema_and_example(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get("/v1/event-types", headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    catalog = {entry["name"]: entry for entry in response.json()["data"]}
    assert "audit.entries_written" not in catalog and "job.queued" not in catalog
    created = catalog["webhook_endpoint.created"]
    assert created["version"] == 1 and created["description"] == "A webhook endpoint was created."
    assert created["schema"] == WebhookEndpointChanged.model_json_schema()
    assert WebhookEndpointChanged.model_validate(created["example"])
    assert catalog["member.joined"]["schema"]["required"] and catalog["member.joined"]["example"]["roles"] == []
