"""Sample proof templates, for the tests (``atrium.kernel.testing``): templates with a version 1 in their tenant's
library."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.kernel.testing import IdFactory, Owner


def library_template(client: TestClient, auth: dict[str, str], body: dict[str, Any]) -> str:
    """The path of a new template with version 1 published in the caller's library."""
    response = client.post("/v1/templates", json=body, headers=auth)
    response.raise_for_status()
    path = f"/v1/templates/{response.json()['id']}"
    for step in (f"{path}/versions", f"{path}/versions/1/publish"):
        client.post(step, headers=auth).raise_for_status()
    return path


def a_template(client: TestClient, owner: Owner) -> str:
    return library_template(client, owner.auth, {"name": "Matrix template"}).rsplit("/", 1)[1]


PATH_IDS: dict[str, IdFactory] = {
    "template_id": a_template,
    "template_version": lambda _client, _owner: "1",  # every template_id above has a version 1
}
