"""Matrices generated from the route registry: a new route joins them without anyone editing this file.

- Cross-tenant: every route, called with a valid credential of tenant B on tenant A's ids (and on ids that do
  not exist), answers 404 or 403, and tenant A's items are unchanged afterwards.
- Permissions: every route, called by a member holding one built-in role, is refused (403) exactly when the
  role's patterns do not allow the route's permission.

Requests are built from the OpenAPI document: the body is the request model's declared example, path
parameters come from ``IDS`` (one factory per parameter name, making the resource in tenant A).
"""

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.access.roles import BUILT_IN_ROLES
from atrium.jobs.models import JobStatus
from atrium.kernel.config import settings
from atrium.kernel.http.routing import Realm, RouteSpec
from atrium.kernel.permissions import allows
from atrium_local.devserver import local_app
from tests.api.conftest import Tenant, signup
from tests.support.jobs import a_job
from tests.support.people import Member, add_member

# Every route, each a few times: the full suite runs it, `make quick` leaves it out.
pytestmark = pytest.mark.slow

SPEC = local_app().openapi()
PRIVATE = [spec for spec in manifest.routes() if not spec.is_public]
MISSING_ID = "zzz_01M80NEQ8V8WMTDAMZFMBRHY14"


def _a_session(client: TestClient, owner: Tenant) -> str:
    sessions = client.get("/v1/sessions", headers=owner.auth).json()["data"]
    return str(sessions[0]["id"])


def _created(field: str, path: str, body: dict[str, Any]) -> Callable[[TestClient, Tenant], str]:
    def create(client: TestClient, owner: Tenant) -> str:
        response = client.post(path, json=body, headers=owner.auth)
        assert response.status_code == 201, response.text
        return str(response.json()[field])

    return create


def _a_test_message(client: TestClient, owner: Tenant) -> str:
    endpoint = _created("id", "/v1/webhook-endpoints", {"url": "https://example.com/matrix-messages"})(client, owner)
    response = client.post(f"/v1/webhook-endpoints/{endpoint}/test", json={}, headers=owner.auth)
    assert response.status_code == 202, response.text
    return str(response.json()["message_ids"][0])


_proofs: dict[str, str] = {}


def _a_proof(client: TestClient, owner: Tenant) -> str:
    """One proof per tenant, a draft (decisions on it are a 409): a comment's routes name it with the comment."""
    if owner.id not in _proofs:
        _proofs[owner.id] = _created("id", "/v1/proofs", {"title": "Matrix proof"})(client, owner)
    return _proofs[owner.id]


def _a_deleted_comment(client: TestClient, owner: Tenant) -> str:
    """A comment on the tenant's proof, deleted: a later edit or delete answers 409 before the author check.
    Only its author edits a comment, and no member made for a call here wrote it; a 403 for not being the
    author would read as a permission refusal."""
    comments = f"/v1/proofs/{_a_proof(client, owner)}/comments"
    comment_id = _created("id", comments, {"body": "Matrix comment"})(client, owner)
    assert client.delete(f"{comments}/{comment_id}", headers=owner.auth).status_code == 204
    return comment_id


def _a_template(client: TestClient, owner: Tenant) -> str:
    """A template with a version 1 in the tenant's library."""
    template_id = _created("id", "/v1/templates", {"name": "Matrix template"})(client, owner)
    for path in (f"/v1/templates/{template_id}/versions", f"/v1/templates/{template_id}/versions/1/publish"):
        assert client.post(path, headers=owner.auth).status_code < 300
    return template_id


def _an_unlisted_gallery_template(client: TestClient, owner: Tenant) -> str:
    """A gallery template its publisher took out of the gallery. A listed one is public by design (every tenant
    may read, rate and import it: tests/api/test_template_gallery.py), so the matrix gets one no tenant reaches."""
    template_id = _a_template(client, owner)
    listing = client.post(f"/v1/templates/{template_id}/gallery", json={}, headers=owner.auth)
    assert listing.status_code == 200, listing.text
    assert client.delete(f"/v1/templates/{template_id}/gallery", headers=owner.auth).status_code == 204
    return str(listing.json()["id"])


# A resource of tenant A for each path parameter name. A route with a new parameter name fails below until
# its factory is added here.
IDS: dict[str, Callable[[TestClient, Tenant], str]] = {
    "session_id": _a_session,
    "user_id": lambda _client, owner: add_member(owner.id, "viewer").user_id,  # not an owner: admins may act on it
    "tenant_id": lambda _client, owner: owner.id,
    "invitation_id": _created("id", "/v1/invitations", {"email": "invited@example.com", "roles": [{"role": "viewer"}]}),
    "role_name": _created("name", "/v1/roles", {"name": "matrix-role", "permissions": ["tenant:read"]}),
    "token_id": _created("id", "/v1/api-tokens", {"name": "matrix", "scopes": ["tenant:read"]}),
    "event_id": lambda client, owner: str(client.get("/v1/audit-events", headers=owner.auth).json()["data"][0]["id"]),
    # Of a kind every role reading jobs may retry: those roles get past the permission check (then 409).
    "job_id": lambda _client, owner: a_job(owner.id, owner.user_id, JobStatus.SUCCEEDED),
    "hook_id": _created("id", "/v1/inbound-hooks", {"name": "matrix"}),
    "endpoint_id": _created("id", "/v1/webhook-endpoints", {"url": "https://example.com/matrix"}),
    "message_id": _a_test_message,
    "proof_id": _a_proof,
    "comment_id": _a_deleted_comment,
    # Of that draft, which has none: 404 (the routes with it are exercised in tests/api/test_proof_versions.py).
    "version": lambda _client, _owner: "1",
    "template_id": _a_template,
    "template_version": lambda _client, _owner: "1",  # every template_id above has a version 1
    "listing_id": _an_unlisted_gallery_template,
}


def _operation(spec: RouteSpec) -> dict[str, Any]:
    operation: dict[str, Any] = SPEC["paths"][spec.path][spec.method.lower()]
    return operation


def _example_body(spec: RouteSpec) -> dict[str, Any] | None:
    body = _operation(spec).get("requestBody")
    if body is None:
        return None
    schema = body["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    examples = schema.get("examples")
    assert examples, f"{spec.operation_id}: declare an example body on its request model (json_schema_extra)"
    example: dict[str, Any] = examples[0]
    return example


def _path_params(spec: RouteSpec) -> list[str]:
    return [p["name"] for p in _operation(spec).get("parameters", []) if p["in"] == "path"]


def _call(client: TestClient, spec: RouteSpec, auth: dict[str, str], ids: dict[str, str]) -> int:
    headers = auth | {"If-Match": '"1"', "Idempotency-Key": f"matrix-{spec.operation_id}"}
    response = client.request(spec.method, spec.path.format(**ids), json=_example_body(spec), headers=headers)
    assert response.status_code < 500, (spec.operation_id, response.text)
    status: int = response.status_code
    return status


def _tenant_items(tenant_id: str) -> list[dict[str, Any]]:
    """Every item of the tenant (a paginated scan: fine in tests, never in the product)."""
    client = boto3.client("dynamodb", region_name=settings().region)
    pages = client.get_paginator("scan").paginate(TableName=settings().table_name)
    items = [item for page in pages for item in page["Items"] if item["pk"]["S"].startswith(f"T#{tenant_id}#")]
    return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


@pytest.fixture
def tenant_a_ids(client: TestClient, tenant_a: Tenant) -> dict[str, str]:
    missing = {name for spec in PRIVATE for name in _path_params(spec)} - set(IDS)
    assert not missing, f"add a factory to IDS for the path parameters {missing}"
    return {name: make(client, tenant_a) for name, make in IDS.items()}


def _fresh_owner(tenant: Tenant) -> Member:
    """A new signed-in owner per call: a route may end the caller's own session (logout)."""
    return add_member(tenant.id, "owner")


def test_tenant_b_cannot_reach_tenant_a(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                        tenant_a_ids: dict[str, str]) -> None:
    before = _tenant_items(tenant_a.id)
    answers = {}
    for spec in PRIVATE:
        auth = _fresh_owner(tenant_b).auth
        status = _call(client, spec, auth, tenant_a_ids)
        if _path_params(spec):
            answers[spec.operation_id] = status
            missing = _call(client, spec, auth, dict.fromkeys(tenant_a_ids, MISSING_ID))
            answers[f"{spec.operation_id} (no such id)"] = missing
    assert {op: status for op, status in answers.items() if status not in (403, 404)} == {}
    assert _tenant_items(tenant_a.id) == before


def _expected_allowed(spec: RouteSpec, role: str) -> bool:
    if spec.realm is Realm.OPERATOR:
        return False
    return spec.is_self_service or allows(BUILT_IN_ROLES[role], spec.permission)


@pytest.fixture
def tenant_with_ids(client: TestClient) -> tuple[Tenant, dict[str, str]]:
    owner = signup(client, "Matrix")
    return owner, {name: make(client, owner) for name, make in IDS.items()}


@pytest.mark.parametrize("role", sorted(BUILT_IN_ROLES))
def test_every_route_enforces_its_permission_for_each_role(client: TestClient, role: str,
                                                           tenant_with_ids: tuple[Tenant, dict[str, str]]) -> None:
    tenant, ids = tenant_with_ids
    wrong = {}
    for spec in PRIVATE:
        status = _call(client, spec, add_member(tenant.id, role).auth, ids)
        if (status == 403) == _expected_allowed(spec, role):
            wrong[spec.operation_id] = status
    assert wrong == {}, f"{role}: allowed routes answered 403 or denied ones did not"
