"""Proof templates: CRUD, versions, the tenant's library, proofs made from a template, tenant isolation."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tenant
from tests.api.template_helpers import FIELDS, a_template, published
from tests.support.people import add_member


def _audit_actions(client: TestClient, owner: Tenant) -> list[str]:
    return [event["action"] for event in client.get("/v1/audit-events", headers=owner.auth).json()["data"]]


def test_create_read_update_delete(client: TestClient, tenant_a: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    template = a_template(client, tenant_a, default_reviewers=[{"user_id": reviewer.user_id}], tags=["print", "print"])
    assert template["fields"] == [{"required": False} | field for field in FIELDS]
    assert template["default_reviewers"] == [{"user_id": reviewer.user_id, "required": True}]
    assert (template["tags"], template["latest_version"], template["published_version"]) == (["print"], None, None)
    path = f"/v1/templates/{template['id']}"
    read = client.get(path, headers=tenant_a.auth)
    assert read.json() == template
    changed = client.patch(path, json={"name": "Poster A1", "checklist": []},
                           headers=tenant_a.auth | {"If-Match": read.headers["etag"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["checklist"]) == ("Poster A1", [])
    assert changed.json()["fields"] == template["fields"]
    stale = client.patch(path, json={"name": "Again"}, headers=tenant_a.auth | {"If-Match": read.headers["etag"]})
    assert stale.status_code == 412
    assert client.post(f"{path}/versions", headers=tenant_a.auth).status_code == 201
    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.get(path, headers=tenant_a.auth).status_code == 404
    assert client.get(f"{path}/versions", headers=tenant_a.auth).status_code == 404
    assert {"template.created", "template.updated", "template.version_created",
            "template.deleted"} <= set(_audit_actions(client, tenant_a))


@pytest.mark.parametrize("body", [
    {"default_reviewers": [{"user_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}]},  # not a member
    {"fields": [{"name": "a", "label": "A"}, {"name": "a", "label": "Again"}]},
    {"fields": [{"name": "Bad Name", "label": "A"}]},
    {"fields": [{"name": "a", "label": "A", "type": "colour"}]},
    {"surprise": True},
])
def test_bad_templates_are_refused(client: TestClient, tenant_a: Tenant, body: dict[str, Any]) -> None:
    response = client.post("/v1/templates", json={"name": "Poster"} | body, headers=tenant_a.auth)
    assert response.status_code == 422, response.text


def test_versions_are_immutable_snapshots_and_the_library_lists_published_ones(client: TestClient,
                                                                                tenant_a: Tenant) -> None:
    template = a_template(client, tenant_a, name="zebra")
    path = f"/v1/templates/{template['id']}"
    first = client.post(f"{path}/versions", headers=tenant_a.auth).json()
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    client.patch(path, json={"name": "Zebra 2"}, headers=tenant_a.auth | {"If-Match": etag})
    second = client.post(f"{path}/versions", headers=tenant_a.auth).json()
    assert (first["version"], first["name"], second["version"], second["name"]) == (1, "zebra", 2, "Zebra 2")
    versions = client.get(f"{path}/versions", headers=tenant_a.auth).json()
    assert [v["name"] for v in versions["data"]] == ["zebra", "Zebra 2"]
    unpublished = a_template(client, tenant_a, name="draft only")
    assert client.post(f"{path}/versions/3/publish", headers=tenant_a.auth).status_code == 404
    assert client.post(f"{path}/versions/one/publish", headers=tenant_a.auth).status_code == 404
    assert client.post(f"{path}/versions/1/publish", headers=tenant_a.auth).json()["published_version"] == 1
    apple = published(client, tenant_a, name="Apple")
    library = client.get("/v1/templates", params={"published": "true"}, headers=tenant_a.auth).json()["data"]
    assert [t["id"] for t in library] == [apple["id"], template["id"]]  # by name, case-insensitive
    everything = client.get("/v1/templates", headers=tenant_a.auth).json()["data"]
    assert unpublished["id"] in {t["id"] for t in everything}
    page = client.get("/v1/templates", params={"published": "true", "limit": 1}, headers=tenant_a.auth).json()
    following = client.get("/v1/templates", params={"published": "true", "cursor": page["next_cursor"]},
                           headers=tenant_a.auth).json()
    assert [t["id"] for t in page["data"] + following["data"]] == [apple["id"], template["id"]]
    assert "template.published" in _audit_actions(client, tenant_a)


def test_a_proof_from_a_template_copies_reviewers_and_checklist(client: TestClient, tenant_a: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    template = published(client, tenant_a, default_reviewers=[{"user_id": reviewer.user_id, "required": False}],
                         tags=["print"])
    values = {"size": "A2", "copies": 500, "ship_on": "2026-12-01", "glossy": True}
    response = client.post(f"/v1/templates/{template['id']}/proofs",
                           json={"title": "Spring poster", "due_date": "2026-12-15", "values": values},
                           headers=tenant_a.auth)
    assert response.status_code == 201, response.text
    proof = response.json()
    assert response.headers["location"] == f"/v1/proofs/{proof['id']}"
    assert proof["reviewers"] == [{"user_id": reviewer.user_id, "required": False,
                                   "approved_current_version": False}]
    assert (proof["tags"], proof["owner_id"], proof["status"]) == (["print"], tenant_a.user_id, "draft")
    assert proof["template"] == {"template_id": template["id"], "version": 1, "fields": values,
                                 "checklist": ["Bleed is 3 mm"]}
    assert client.get(f"/v1/proofs/{proof['id']}", headers=tenant_a.auth).json()["template"] == proof["template"]


@pytest.mark.parametrize(("values", "codes"), [
    ({}, {"body.values.size": "required"}),
    ({"size": "   "}, {"body.values.size": "required"}),
    ({"size": "A2", "copies": "many"}, {"body.values.copies": "type"}),
    ({"size": "A2", "copies": True}, {"body.values.copies": "type"}),
    ({"size": "A2", "ship_on": "tomorrow"}, {"body.values.ship_on": "type"}),
    ({"size": "A2", "glossy": "yes"}, {"body.values.glossy": "type"}),
    ({"size": 2}, {"body.values.size": "type"}),
    ({"size": "A2", "colour": "red"}, {"body.values.colour": "unknown_field"}),
])
def test_values_must_fit_the_fields(client: TestClient, tenant_a: Tenant, values: dict[str, Any],
                                    codes: dict[str, str]) -> None:
    template = published(client, tenant_a)
    response = client.post(f"/v1/templates/{template['id']}/proofs", json={"title": "P", "values": values},
                           headers=tenant_a.auth)
    assert response.status_code == 422, response.text
    assert {e["field"]: e["code"] for e in response.json()["errors"]} == codes
    assert client.get("/v1/proofs", headers=tenant_a.auth).json()["data"] == []


def test_a_proof_needs_a_library_version_or_a_named_one(client: TestClient, tenant_a: Tenant) -> None:
    template = a_template(client, tenant_a)
    path = f"/v1/templates/{template['id']}/proofs"
    body = {"title": "P", "values": {"size": "A4"}}
    assert client.post(path, json=body, headers=tenant_a.auth).status_code == 409
    assert client.post(path, json=body | {"version": 1}, headers=tenant_a.auth).status_code == 404
    client.post(f"/v1/templates/{template['id']}/versions", headers=tenant_a.auth)
    made = client.post(path, json=body | {"version": 1}, headers=tenant_a.auth)
    assert made.status_code == 201, made.text
    assert made.json()["template"]["version"] == 1


def test_a_default_reviewer_who_left_is_reported(client: TestClient, tenant_a: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    template = published(client, tenant_a, default_reviewers=[{"user_id": reviewer.user_id}])
    assert client.delete(f"/v1/users/{reviewer.user_id}", headers=tenant_a.auth).status_code == 204
    response = client.post(f"/v1/templates/{template['id']}/proofs", json={"title": "P", "values": {"size": "A4"}},
                           headers=tenant_a.auth)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "template.default_reviewers[0].user_id"


def test_members_make_templates_but_only_admins_publish_or_delete(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    template = a_template(client, member)
    path = f"/v1/templates/{template['id']}"
    assert client.post(f"{path}/versions", headers=member.auth).status_code == 201
    assert client.post(f"{path}/versions/1/publish", headers=member.auth).status_code == 403
    assert client.delete(path, headers=member.auth).status_code == 403
    viewer = add_member(tenant_a.id, "viewer")
    assert client.get(path, headers=viewer.auth).status_code == 200
    assert client.post("/v1/templates", json={"name": "V"}, headers=viewer.auth).status_code == 403


def test_tenant_b_cannot_reach_tenant_a_templates(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    template = published(client, tenant_a)
    path = f"/v1/templates/{template['id']}"
    before = client.get(path, headers=tenant_a.auth)
    attempts = [
        client.get(path, headers=tenant_b.auth),
        client.patch(path, json={"name": "Mine"}, headers=tenant_b.auth | {"If-Match": before.headers["etag"]}),
        client.delete(path, headers=tenant_b.auth),
        client.post(f"{path}/versions", headers=tenant_b.auth),
        client.get(f"{path}/versions", headers=tenant_b.auth),
        client.post(f"{path}/versions/1/publish", headers=tenant_b.auth),
        client.post(f"{path}/proofs", json={"title": "P", "values": {"size": "A4"}}, headers=tenant_b.auth),
        client.post(f"{path}/gallery", json={}, headers=tenant_b.auth),
        client.delete(f"{path}/gallery", headers=tenant_b.auth),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert client.get("/v1/templates", headers=tenant_b.auth).json()["data"] == []
    assert client.get("/v1/templates", params={"published": "true"}, headers=tenant_b.auth).json()["data"] == []
    after = client.get(path, headers=tenant_a.auth)
    assert (after.json(), after.headers["etag"]) == (before.json(), before.headers["etag"])
    assert client.get("/v1/proofs", headers=tenant_b.auth).json()["data"] == []
    assert client.get("/v1/gallery/templates", headers=tenant_b.auth).json()["data"] == []
