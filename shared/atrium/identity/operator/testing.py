"""Sample tenants and requests of the operator console, for the tests and the bench (``atrium.kernel.testing``)."""

from functools import cache
from typing import Any

from atrium.identity.operator.accounts import create_operator
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Request, RequestSetup

PATH_IDS: dict[str, IdFactory] = {"tenant_id": lambda _client, owner: owner.id}


@cache  # per fixture: operators are global, and this one signs in with the fixture's password
def _operator_login(fixture: Fixture) -> dict[str, str]:
    create_operator("ops@bench.example", "operator_admin", fixture.password)
    return {"email": "ops@bench.example", "password": fixture.password}


@cache
def operator_auth(fixture: Fixture) -> dict[str, str]:
    response = fixture.client.post("/v1/operator/auth/login", json=_operator_login(fixture))
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _new_tenant(fixture: Fixture) -> str:
    return str(fixture.new_user()[0]["tenant"]["id"])


def _suspended_tenant(fixture: Fixture) -> str:
    tenant_id = _new_tenant(fixture)
    response = fixture.client.post(f"/v1/operator/tenants/{tenant_id}/suspend", json={"reason": "Bench"},
                                   headers=operator_auth(fixture))
    response.raise_for_status()
    return tenant_id


CUSTOM_PLAN = {"name": "Bench deal", "based_on": "professional", "limits": {"seats": 25}}


def _custom_plan_tenant(fixture: Fixture) -> str:
    tenant_id = _new_tenant(fixture)
    response = fixture.client.put(f"/v1/operator/tenants/{tenant_id}/plan", json=CUSTOM_PLAN,
                                  headers=operator_auth(fixture))
    response.raise_for_status()
    return tenant_id


def _deletion_requested(fixture: Fixture) -> str:
    """A new tenant whose owner asked for its deletion (compliance's route)."""
    signup, auth = fixture.new_user()
    fixture.client.post("/v1/tenant/deletion", json={}, headers=fixture.step_up(auth)).raise_for_status()
    return str(signup["tenant"]["id"])


def _on_tenant(fixture: Fixture, spec: RouteSpec, tenant_id: str, body: dict[str, Any] | None = None) -> Request:
    return Request(body=body, headers=operator_auth(fixture), path=spec.path.format(tenant_id=tenant_id))


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "operator.login": lambda fixture, _: Request(body=_operator_login(fixture)),
    "operator.list_tenants": lambda fixture, _: Request(headers=operator_auth(fixture)),
    "operator.get_tenant": lambda fixture, spec: _on_tenant(fixture, spec, fixture.tenant_id),
    "operator.suspend_tenant": lambda fixture, spec: _on_tenant(fixture, spec, _new_tenant(fixture),
                                                                {"reason": "Bench"}),
    "operator.reactivate_tenant": lambda fixture, spec: _on_tenant(fixture, spec, _suspended_tenant(fixture)),
    "operator.set_tenant_plan": lambda fixture, spec: _on_tenant(fixture, spec, _new_tenant(fixture), CUSTOM_PLAN),
    "operator.remove_tenant_plan": lambda fixture, spec: _on_tenant(fixture, spec, _custom_plan_tenant(fixture)),
    "operator.list_usage": lambda fixture, _: Request(headers=operator_auth(fixture),
                                                      path="/v1/operator/usage?meter=proofs&period=2026-01"),
    "operator.rotate_tenant_data_key": lambda fixture, spec: _on_tenant(fixture, spec, _new_tenant(fixture)),
    "operator.rotate_data_keys": lambda fixture, _: Request(headers=operator_auth(fixture)),
    "operator.get_tenant_deletion": lambda fixture, spec: _on_tenant(fixture, spec, _deletion_requested(fixture)),
}

_PLAN_CHANGE = CallBudget(3,
    "A GetItem of the tenant (an unknown one is a 404) and a consistent GetItem of its subscription item, which the "
    "transaction writes at the version read.")

AWS_CALL_BUDGETS = {
    "operator.set_tenant_plan": _PLAN_CHANGE,
    "operator.remove_tenant_plan": _PLAN_CHANGE,
    "operator.login": CallBudget(3,
        "Sign-in reads the lockout state and the operator in one BatchGetItem, counts the attempt (one conditional "
        "UpdateItem) before the password is checked, so concurrent guesses cannot all be checked, and a right "
        "password clears that count (DeleteItem): the operator token is stateless, with no session to write the "
        "clearing into."),
    "operator.suspend_tenant": CallBudget(2,
        "A consistent GetItem of the tenant before the transaction: a tenant already in that status is refused with "
        "409 before any write, and the directory entry is saved at the version read."),
    "operator.rotate_tenant_data_key": CallBudget(3,
        "A GetItem of the tenant (an unknown one is a 404) and a consistent GetItem of its data keys, which the "
        "transaction writes at the version read with the new key (made by KMS, besides)."),
    "operator.rotate_data_keys": CallBudget(0,
        "It only queues the task that rotates every tenant's key (one SQS SendMessage): no table call."),
    "operator.reactivate_tenant": CallBudget(2,
        "A consistent GetItem of the tenant before the transaction: a tenant already in that status is refused with "
        "409 before any write, and the directory entry is saved at the version read."),
}
