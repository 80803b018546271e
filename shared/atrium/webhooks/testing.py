"""Sample webhook endpoints, messages and inbound hooks, for the tests (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.kernel.testing import IdFactory, Owner, created

ENDPOINTS = "/v1/webhook-endpoints"


def _a_test_message(client: TestClient, owner: Owner) -> str:
    endpoint = created("id", ENDPOINTS, {"url": "https://example.com/matrix-messages"})(client, owner)
    response = client.post(f"{ENDPOINTS}/{endpoint}/test", json={}, headers=owner.auth)
    assert response.status_code == 202, response.text
    return str(response.json()["message_ids"][0])


PATH_IDS: dict[str, IdFactory] = {
    "hook_id": created("id", "/v1/inbound-hooks", {"name": "matrix"}),
    "endpoint_id": created("id", ENDPOINTS, {"url": "https://example.com/matrix"}),
    "message_id": _a_test_message,
}
