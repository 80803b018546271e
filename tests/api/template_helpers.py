"""Making templates and versions over the API, for the template and gallery tests."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Tenant
from tests.support.people import Member

Caller = Tenant | Member  # anyone signed in with .auth

FIELDS: list[dict[str, Any]] = [{"name": "size", "label": "Print size", "type": "text", "required": True},
          {"name": "copies", "label": "Copies", "type": "number"},
          {"name": "ship_on", "label": "Ship on", "type": "date"},
          {"name": "glossy", "label": "Glossy", "type": "checkbox"}]


def a_template(client: TestClient, owner: Caller, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/templates", json={"name": "Poster", "fields": FIELDS,
                                                  "checklist": ["Bleed is 3 mm"]} | body, headers=owner.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def published(client: TestClient, owner: Caller, **body: Any) -> dict[str, Any]:
    """A template with version 1 in the tenant's library."""
    template = a_template(client, owner, **body)
    response = client.post(f"/v1/templates/{template['id']}/versions", headers=owner.auth)
    assert response.status_code == 201, response.text
    response = client.post(f"/v1/templates/{template['id']}/versions/1/publish", headers=owner.auth)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
