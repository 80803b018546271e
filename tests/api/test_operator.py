"""The operator realm: sign-in, realm separation, the tenants directory, suspension and its enforcement."""

from datetime import UTC, datetime
from itertools import count
from typing import Any

import boto3
import jwt
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from atrium.identity import lockout
from atrium.identity.access_state import forget_cached_access
from atrium.identity.directory import TenantDirectoryItem
from atrium.identity.models import TenantItem
from atrium.identity.operator.accounts import create_operator
from atrium.identity.operator.models import DISABLED, OperatorItem
from atrium.identity.operator.roles import OPERATOR_ADMIN, OPERATOR_SUPPORT
from atrium.identity.tokens import verify_access_token, verify_operator_token
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Unauthenticated
from atrium.kernel.tenancy import tenant_scope
from atrium_local.cli import app as cli
from tests.api.conftest import PASSWORD, Tenant, signup
from tests.api.test_cross_tenant import _with_claims
from tests.support.people import add_member

_numbers = count(1)
LIST = "/v1/operator/tenants"


def _operator(client: TestClient, role: str = OPERATOR_ADMIN) -> dict[str, str]:
    """A new operator with ``role``, signed in: its Authorization header."""
    email = f"ops{next(_numbers)}@example.com"
    create_operator(email, role, PASSWORD)
    response = client.post("/v1/operator/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def admin(client: TestClient) -> dict[str, str]:
    return _operator(client)


def _items(entity: str) -> list[dict[str, Any]]:
    items = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    return [item for item in items if item.get("entity", {}).get("S") == entity]


def _suspend(client: TestClient, admin: dict[str, str], tenant_id: str, reason: str = "Unpaid invoices") -> Any:
    return client.post(f"{LIST}/{tenant_id}/suspend", json={"reason": reason}, headers=admin)


def _names(client: TestClient, admin: dict[str, str], **params: Any) -> list[str]:
    response = client.get(LIST, params=params, headers=admin)
    assert response.status_code == 200, response.text
    return [entry["name"] for entry in response.json()["data"]]


# -- sign-in --------------------------------------------------------------------------------------

def test_login_gives_a_short_operator_token(client: TestClient) -> None:
    create_operator("Boss@Example.com", OPERATOR_ADMIN, PASSWORD)
    response = client.post("/v1/operator/auth/login", json={"email": "BOSS@example.com", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 900 and body["token_type"] == "Bearer" and "refresh_token" not in body
    assert body["operator"]["email"] == "boss@example.com" and body["operator"]["roles"] == [OPERATOR_ADMIN]
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["aud"] == "atrium-operator" and claims["sub"] == body["operator"]["id"]
    assert claims["sub"].startswith("opr_") and claims["exp"] - claims["iat"] == 900


def test_wrong_credentials_are_401_without_saying_which_part(client: TestClient) -> None:
    create_operator("ops@example.com", OPERATOR_ADMIN, PASSWORD)
    create_operator("gone@example.com", OPERATOR_ADMIN, PASSWORD)
    operator = OperatorItem.find_email("gone@example.com")
    assert operator is not None
    operator.status = DISABLED
    operator.save()
    details = set()
    for email, password in [("ops@example.com", "wrong password 123"), ("nobody@example.com", PASSWORD),
                            ("gone@example.com", PASSWORD), ("not an email", PASSWORD)]:
        response = client.post("/v1/operator/auth/login", json={"email": email, "password": password})
        assert response.status_code == 401, email
        details.add(response.json()["detail"])
    assert details == {"the email or password is wrong"}


def test_operator_sign_in_locks_out_apart_from_tenant_users(client: TestClient) -> None:
    create_operator("ops@example.com", OPERATOR_ADMIN, PASSWORD)
    user = signup(client, "Ops Co", email="ops@example.com")
    login = "/v1/operator/auth/login"
    with clock.frozen(datetime.now(UTC)) as advance:
        for _ in range(lockout.PAIR.threshold):
            assert client.post(login, json={"email": "ops@example.com", "password": "wrong"}).status_code == 401
        locked = client.post(login, json={"email": "OPS@example.com", "password": PASSWORD})
        assert locked.status_code == 429 and int(locked.headers["retry-after"]) == lockout.BASE_LOCK_SECONDS + 1
        # The tenant user with the same email is not locked: the counts are apart.
        assert client.post("/v1/auth/login", json={"email": user.email, "password": PASSWORD}).status_code == 200
        advance(lockout.BASE_LOCK_SECONDS + 1)
        assert client.post(login, json={"email": "ops@example.com", "password": PASSWORD}).status_code == 200
        # The success cleared the count: one more failure does not lock again.
        assert client.post(login, json={"email": "ops@example.com", "password": "wrong"}).status_code == 401
        assert client.post(login, json={"email": "ops@example.com", "password": PASSWORD}).status_code == 200


def test_a_tenant_users_password_is_not_an_operators(client: TestClient, tenant_a: Tenant) -> None:
    response = client.post("/v1/operator/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
    assert response.status_code == 401


def test_a_token_of_one_audience_never_verifies_as_the_other(client: TestClient, admin: dict[str, str],
                                                             tenant_a: Tenant) -> None:
    operator_token = admin["Authorization"].split()[1]
    assert verify_operator_token(operator_token)["aud"] == "atrium-operator"
    assert verify_access_token(tenant_a.token)["aud"] == "atrium-api"
    with pytest.raises(Unauthenticated):
        verify_access_token(operator_token)
    with pytest.raises(Unauthenticated):
        verify_operator_token(tenant_a.token)
    # An owner's token edited to claim the operator audience fails its signature.
    forged = _with_claims(tenant_a.token, aud="atrium-operator", email=tenant_a.email)
    assert client.get(LIST, headers={"Authorization": f"Bearer {forged}"}).status_code == 401


# -- realms ---------------------------------------------------------------------------------------

def test_tenant_users_are_refused_on_operator_routes(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    """Even an owner (permission ``*``) of tenant B gets nothing of the operator realm, for B or for A."""
    for tenant_id in (tenant_a.id, tenant_b.id):
        for method, path, body in [("GET", LIST, None), ("GET", f"{LIST}/{tenant_id}", None),
                                   ("POST", f"{LIST}/{tenant_id}/suspend", {"reason": "x"}),
                                   ("POST", f"{LIST}/{tenant_id}/reactivate", None)]:
            response = client.request(method, path, json=body, headers=tenant_b.auth)
            assert response.status_code == 403, path
            assert response.json()["detail"] == "this route is for platform operators"
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["status"] == "active"


def test_operators_are_refused_on_tenant_routes(client: TestClient, admin: dict[str, str]) -> None:
    response = client.get("/v1/tenant", headers=admin)
    assert response.status_code == 403
    assert response.json()["detail"] == "this route is for members of a tenant"
    assert client.patch("/v1/tenant", json={"name": "X"}, headers=admin | {"If-Match": '"1"'}).status_code == 403


def test_support_can_read_but_not_suspend(client: TestClient, tenant_a: Tenant) -> None:
    support = _operator(client, OPERATOR_SUPPORT)
    assert client.get(f"{LIST}/{tenant_a.id}", headers=support).status_code == 200
    assert client.get(LIST, headers=support).status_code == 200
    response = _suspend(client, support, tenant_a.id)
    assert response.status_code == 403
    assert response.json()["detail"] == "this action needs the permission tenants:suspend"
    assert client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=support).status_code == 403
    assert client.get("/v1/tenant", headers=tenant_a.auth).json()["status"] == "active"


def test_a_disabled_operator_loses_access_within_the_cache_ttl(client: TestClient) -> None:
    with clock.frozen(datetime.now(UTC)) as advance:
        create_operator("leaver@example.com", OPERATOR_ADMIN, PASSWORD)
        login = client.post("/v1/operator/auth/login", json={"email": "leaver@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert client.get(LIST, headers=headers).status_code == 200
        operator = OperatorItem.find_email("leaver@example.com")
        assert operator is not None
        operator.status = DISABLED
        operator.save()
        advance(settings().access_cache_seconds + 1)
        assert client.get(LIST, headers=headers).status_code == 401


# -- the directory --------------------------------------------------------------------------------

def test_list_searches_by_name_prefix_in_name_order(client: TestClient, admin: dict[str, str]) -> None:
    for name in ("beta", "Alpha Two", "alpha one", "Gamma"):
        signup(client, name)
    assert _names(client, admin) == ["alpha one", "Alpha Two", "beta", "Gamma"]
    assert _names(client, admin, q="ALPHA") == ["alpha one", "Alpha Two"]
    assert _names(client, admin, q="alpha t") == ["Alpha Two"]
    assert _names(client, admin, q="delta") == []


def test_list_pages_with_a_cursor_bound_to_its_search(client: TestClient, admin: dict[str, str]) -> None:
    for n in range(5):
        signup(client, f"Tenant {n}")
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get(LIST, params={"limit": 2} | ({"cursor": cursor} if cursor else {}), headers=admin)
        body = response.json()
        seen += [entry["name"] for entry in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert len(body["data"]) == 2
    assert seen == [f"Tenant {n}" for n in range(5)] and pages == 3
    first = client.get(LIST, params={"limit": 2}, headers=admin).json()["next_cursor"]
    for params in ({"q": "tenant"}, {"status": "active"}, {"cursor": first[:-2] + "xx"}):
        response = client.get(LIST, params={"limit": 2, "cursor": first} | params, headers=admin)
        assert response.status_code == 400, params


def test_list_filters_by_status(client: TestClient, admin: dict[str, str]) -> None:
    ids = {name: signup(client, name).id for name in ("One", "Two", "Three")}
    assert _suspend(client, admin, ids["Two"]).status_code == 200
    assert _names(client, admin, status="suspended") == ["Two"]
    assert _names(client, admin, status="active") == ["One", "Three"]
    assert _names(client, admin, status="active", q="t") == ["Three"]
    assert client.get(LIST, params={"status": "deleted"}, headers=admin).status_code == 422


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"q": "x" * 101}])
def test_list_validates_its_parameters(client: TestClient, admin: dict[str, str], params: dict[str, Any]) -> None:
    assert client.get(LIST, params=params, headers=admin).status_code == 422


def test_a_rename_reaches_the_directory(client: TestClient, admin: dict[str, str], tenant_a: Tenant) -> None:
    response = client.patch("/v1/tenant", json={"name": "Renamed"}, headers=tenant_a.auth | {"If-Match": '"1"'})
    assert response.status_code == 200
    assert _names(client, admin, q="renamed") == ["Renamed"]
    assert _names(client, admin, q="tenant a") == []


def test_the_directory_entry_moves_in_step_with_its_tenant(client: TestClient, admin: dict[str, str],
                                                           tenant_a: Tenant) -> None:
    client.patch("/v1/tenant", json={"name": "Renamed"}, headers=tenant_a.auth | {"If-Match": '"1"'})
    _suspend(client, admin, tenant_a.id)
    client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=admin)
    with tenant_scope(tenant_a.id):
        tenant = TenantItem.load(tenant_a.id, tenant_a.id, consistent=True)
    entry = TenantDirectoryItem.find(tenant_a.id)
    assert entry is not None
    assert (entry.version, entry.name, entry.status) == (tenant.version, "Renamed", "active") == (4, tenant.name,
                                                                                                 tenant.status)


def test_get_tenant(client: TestClient, admin: dict[str, str], tenant_a: Tenant) -> None:
    response = client.get(f"{LIST}/{tenant_a.id}", headers=admin)
    assert response.status_code == 200 and response.headers["etag"] == '"1"'
    assert response.json() | {"created_at": "", "updated_at": ""} == {
        "id": tenant_a.id, "name": "Tenant A", "status": "active", "created_at": "", "updated_at": ""}


@pytest.mark.parametrize("tenant_id", ["ten_01M80NEQ8V8WMTDAMZFMBRHY14", "ten_x", "usr_01M80NEQ8V8WMTDAMZFMBRHY14",
                                       "a%23b", "%23"])
def test_an_unknown_or_malformed_tenant_is_404(client: TestClient, admin: dict[str, str], tenant_id: str) -> None:
    for method, path, body in [("GET", f"{LIST}/{tenant_id}", None),
                               ("POST", f"{LIST}/{tenant_id}/suspend", {"reason": "x"}),
                               ("POST", f"{LIST}/{tenant_id}/reactivate", None)]:
        assert client.request(method, path, json=body, headers=admin).status_code == 404, path


# -- suspension -----------------------------------------------------------------------------------

def test_suspend_and_reactivate_are_audited_in_the_affected_tenant(client: TestClient, admin: dict[str, str],
                                                                    tenant_a: Tenant, tenant_b: Tenant) -> None:
    operator_id = jwt.decode(admin["Authorization"].split()[1], options={"verify_signature": False})["sub"]
    suspended = _suspend(client, admin, tenant_a.id, "  Unpaid invoices  ")
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert suspended.headers["etag"] == '"2"'
    reactivated = client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=admin)
    assert reactivated.status_code == 200 and reactivated.json()["status"] == "active"
    audits = [item for item in _items("Audit") if item["action"]["S"] in ("tenant.suspended", "tenant.reactivated")]
    assert sorted(item["action"]["S"] for item in audits) == ["tenant.reactivated", "tenant.suspended"]
    for item in audits:
        assert item["tenant_id"]["S"] == tenant_a.id and item["targets"]["L"][0]["M"]["id"]["S"] == tenant_a.id
        actor = item["actor"]["M"]
        assert (actor["type"]["S"], actor["id"]["S"]) == ("operator", operator_id)
    (suspension,) = client.get("/v1/audit-events", params={"action": "tenant.suspended"},
                               headers=tenant_a.auth).json()["data"]
    assert suspension["metadata"]["reason"] == "Unpaid invoices"
    events = {item["event_type"]["S"] for item in _items("Outbox")}
    assert {"tenant.suspended", "tenant.reactivated"} <= events
    assert client.get("/v1/tenant", headers=tenant_b.auth).json()["status"] == "active"


def test_suspending_twice_or_reactivating_an_active_tenant_is_409(client: TestClient, admin: dict[str, str],
                                                                   tenant_a: Tenant) -> None:
    assert client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=admin).status_code == 409
    assert _suspend(client, admin, tenant_a.id).status_code == 200
    before = len(_items("Audit"))
    response = _suspend(client, admin, tenant_a.id)
    assert response.status_code == 409 and response.json()["detail"] == "the tenant is already suspended"
    assert len(_items("Audit")) == before


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501},
                                  {"reason": "x", "status": "active"}])
def test_suspend_validates_the_body(client: TestClient, admin: dict[str, str], tenant_a: Tenant,
                                    body: dict[str, Any]) -> None:
    assert client.post(f"{LIST}/{tenant_a.id}/suspend", json=body, headers=admin).status_code == 422


def test_a_suspended_tenants_members_are_refused_then_recover(client: TestClient, admin: dict[str, str],
                                                              tenant_a: Tenant, tenant_b: Tenant) -> None:
    member = add_member(tenant_a.id, "member").auth
    assert client.get("/v1/tenant", headers=member).status_code == 200
    _suspend(client, admin, tenant_a.id)
    forget_cached_access()
    for headers in (member, tenant_a.auth):
        response = client.get("/v1/tenant", headers=headers)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "the tenant is suspended; contact support"
    assert client.get("/v1/tenant", headers=tenant_b.auth).status_code == 200
    client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=admin)
    forget_cached_access()
    assert client.get("/v1/tenant", headers=member).status_code == 200


def test_a_suspension_applies_once_the_cached_access_ages_out(client: TestClient, admin: dict[str, str],
                                                              tenant_a: Tenant) -> None:
    with clock.frozen(datetime.now(UTC)) as advance:
        assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200
        _suspend(client, admin, tenant_a.id)
        advance(settings().access_cache_seconds + 1)
        assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 403
        client.post(f"{LIST}/{tenant_a.id}/reactivate", headers=admin)
        advance(settings().access_cache_seconds + 1)
        assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 200


# -- the CLI --------------------------------------------------------------------------------------

def test_the_cli_creates_an_operator_who_can_sign_in(client: TestClient) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["operators", "create", "--email", "Cli@Example.com", "--role", OPERATOR_SUPPORT,
                                  "--password-stdin", "--aws"], input=PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    operator_id = created.stdout.strip()
    assert operator_id.startswith("opr_")
    response = client.post("/v1/operator/auth/login", json={"email": "cli@example.com", "password": PASSWORD})
    assert response.json()["operator"] == {"id": operator_id, "email": "cli@example.com", "roles": [OPERATOR_SUPPORT]}
    prompted = runner.invoke(cli, ["operators", "create", "--email", "prompted@example.com", "--role",
                                   OPERATOR_ADMIN, "--aws"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert prompted.exit_code == 0, prompted.output
    item = OperatorItem.find_email("prompted@example.com")
    assert item is not None and item.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(("email", "role", "password", "error"), [
    ("cli@example.com", OPERATOR_ADMIN, PASSWORD, "already exists"),
    ("new@example.com", "owner", PASSWORD, "unknown operator role 'owner'"),
    ("new@example.com", OPERATOR_ADMIN, "short", "the password is too weak"),
    ("not-an-email", OPERATOR_ADMIN, PASSWORD, "is not an email address"),
])
def test_the_cli_refuses_bad_input(client: TestClient, email: str, role: str, password: str, error: str) -> None:
    create_operator("cli@example.com", OPERATOR_ADMIN, PASSWORD)
    result = CliRunner().invoke(cli, ["operators", "create", "--email", email, "--role", role, "--password-stdin",
                                      "--aws"], input=password + "\n")
    assert result.exit_code == 1 and error in result.stderr
    assert OperatorItem.find_email("new@example.com") is None
