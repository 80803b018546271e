"""Matrices generated from the route registry: a new route joins them without anyone editing this file.

- Cross-tenant: every route, called with a valid credential of tenant B on tenant A's ids (and on ids that do
  not exist), answers 404 or 403, and tenant A's items are unchanged afterwards.
- Permissions: for every built-in role (a scoped role's member with a scope), the decision the routes take for
  the member's principal, as the authorizer hands it over, refuses exactly the routes the role's patterns do not
  allow (or, for a scoped role, the routes not declared ``scoped``); and over HTTP every route answers 403 to a
  member of a role it refuses and not to one of a role it allows (one of each, spread over the roles, and every
  scoped role it allows), so each route's own wiring and services are called both ways.

Requests are built from the OpenAPI document: the body is the request model's declared example, path
parameters come from ``IDS`` (one factory per parameter name, making the resource in tenant A), which each context
declares in its ``testing.py``. A route declared ``step_up`` is called with a token stepped up just before, so the
matrices test its tenant and its permission (tests/security/test_step_up.py tests the step-up).
"""

from dataclasses import replace
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.access.roles import BUILT_IN_ROLES, ROLE_SCOPES
from atrium.identity.authorizer import authenticate
from atrium.kernel.config import settings
from atrium.kernel.http.dependencies import denial
from atrium.kernel.http.routing import Realm, RouteSpec
from atrium.kernel.ids import is_valid_id
from atrium.kernel.permissions import allows
from atrium_local.devserver import local_app
from tests.api.conftest import Tenant, signup
from tests.support.moto_snapshot import MotoSnapshot
from tests.support.people import Member, add_member
from tests.support.step_up import stepped_up

# Every route, each a few times: the full suite runs it, `make quick` leaves it out.
pytestmark = pytest.mark.slow

SPEC = local_app().openapi()
# Holds the tenant for its deletion, after which only its owners' deletion routes answer: called after every other.
HOLDS_THE_TENANT = "offboarding.request_deletion"
PRIVATE = sorted((spec for spec in manifest.routes() if not spec.is_public),
                 key=lambda spec: spec.operation_id == HOLDS_THE_TENANT)
MISSING_ID = "zzz_01M80NEQ8V8WMTDAMZFMBRHY14"


# A resource of tenant A for each path parameter name, from the contexts' ``PATH_IDS`` (``atrium.kernel.testing``).
# A route with a new parameter name fails below until its context declares a factory for it.
IDS = manifest.path_ids()


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
    headers = (stepped_up(client, auth) if spec.step_up else auth) | {
        "If-Match": '"1"', "Idempotency-Key": f"matrix-{spec.operation_id}"}
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


def _ids(client: TestClient, tenant: Tenant) -> dict[str, str]:
    """A resource of ``tenant`` per parameter name, made by its owner stepped up (``atrium.kernel.testing.Owner``)."""
    owner = replace(tenant, token=stepped_up(client, tenant.auth)["Authorization"].removeprefix("Bearer "))
    return {name: make(client, owner) for name, make in IDS.items()}


@pytest.fixture
def tenant_a_ids(client: TestClient, tenant_a: Tenant) -> dict[str, str]:
    missing = {name for spec in PRIVATE for name in _path_params(spec)} - set(IDS)
    assert not missing, f"declare a factory in PATH_IDS (its context's testing.py) for the path parameters {missing}"
    return _ids(client, tenant_a)


def _fresh_owner(tenant: Tenant) -> Member:
    """A new signed-in owner: a self-service route may end its caller's own session (logout)."""
    return add_member(tenant.id, "owner")


def test_tenant_b_cannot_reach_tenant_a(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                        tenant_a_ids: dict[str, str]) -> None:
    before = _tenant_items(tenant_a.id)
    answers, owner_b = {}, _fresh_owner(tenant_b)
    for spec in PRIVATE:
        auth = (_fresh_owner(tenant_b) if spec.is_self_service else owner_b).auth
        status = _call(client, spec, auth, tenant_a_ids)
        if _path_params(spec):
            answers[spec.operation_id] = status
            missing = _call(client, spec, auth, dict.fromkeys(tenant_a_ids, MISSING_ID))
            answers[f"{spec.operation_id} (no such id)"] = missing
    assert {op: status for op, status in answers.items() if status not in (403, 404)} == {}
    assert _tenant_items(tenant_a.id) == before


def _expected_allowed(spec: RouteSpec, role: str) -> bool:
    if spec.realm is not Realm.TENANT:  # operators' and developers' realms: no tenant role reaches them
        return False
    if spec.is_self_service:
        return True
    return allows(BUILT_IN_ROLES[role], spec.permission) and (spec.scoped or role not in ROLE_SCOPES)


def _member(tenant_id: str, role: str, ids: dict[str, str]) -> Member:
    """A member holding ``role``; a scoped role's grant names the tenant's record of its kind among ``ids``."""
    prefix = ROLE_SCOPES.get(role)
    scope = next(record for record in ids.values() if is_valid_id(record, prefix)) if prefix else None
    return add_member(tenant_id, role, scope=scope)


# The tenant of the permission matrix and its ids, made once per test process, and moto as it left it.
_MADE: list[tuple[Tenant, dict[str, str], MotoSnapshot]] = []


@pytest.fixture
def tenant_with_ids(client: TestClient) -> tuple[Tenant, dict[str, str]]:
    """A tenant with a resource per path parameter. Making them is most of a role's set-up, so the first role's
    test makes them and the others get moto back as it was then (every test starts from the same state)."""
    if _MADE:
        tenant, ids, snapshot = _MADE[0]
        snapshot.restore()
        return tenant, ids
    owner = signup(client, "Matrix")
    ids = _ids(client, owner)
    _MADE.append((owner, ids, MotoSnapshot.take()))
    return owner, ids


ROLES = sorted(BUILT_IN_ROLES)
# The tenant realm's routes: the operators' and developers' refuse every tenant credential alike, before any role is
# read; test_tenant_b_cannot_reach_tenant_a calls each with an owner, tests/api/test_developers.py the developers'
# with each kind of credential.
TENANT_ROUTES = [spec for spec in PRIVATE if spec.realm is Realm.TENANT]


def _callers(spec: RouteSpec) -> set[str]:
    """The roles that call ``spec`` over HTTP: one it allows and one it refuses, picked by the route so that the
    calls spread over the roles, and every scoped role it allows (a scope is checked in the services too)."""
    allowed = [role for role in ROLES if _expected_allowed(spec, role)]
    refused = [role for role in ROLES if role not in allowed]
    spread = sum(map(ord, spec.operation_id))
    return {*(group[spread % len(group)] for group in (allowed, refused) if group),
            *(role for role in allowed if role in ROLE_SCOPES)}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_enforces_its_permission_for_each_role(client: TestClient, role: str,
                                                           tenant_with_ids: tuple[Tenant, dict[str, str]]) -> None:
    tenant, ids = tenant_with_ids
    member = _member(tenant.id, role, ids)
    principal = authenticate(member.auth["Authorization"])
    decided = {spec.operation_id: denial(spec, principal) is None for spec in TENANT_ROUTES}
    expected = {spec.operation_id: _expected_allowed(spec, role) for spec in TENANT_ROUTES}
    assert {operation: allowed for operation, allowed in decided.items() if allowed != expected[operation]} == {}
    wrong = {}
    for spec in (spec for spec in TENANT_ROUTES if role in _callers(spec)):
        # A self-service route acts on its caller (it may end the session): a new member calls it. The others act
        # on the tenant's records, so one member calls them all.
        caller = _member(tenant.id, role, ids) if spec.is_self_service else member
        status = _call(client, spec, caller.auth, ids)
        if (status == 403) == _expected_allowed(spec, role):
            wrong[spec.operation_id] = status
    assert wrong == {}, f"{role}: allowed routes answered 403 or denied ones did not"
