"""Sample roles and API tokens, for the tests and the bench (``atrium.kernel.testing``)."""

from typing import Any

from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Request, RequestSetup, created

NEW_TOKEN = {"name": "Bench", "scopes": ["tenant:read"]}

PATH_IDS: dict[str, IdFactory] = {
    "role_name": created("name", "/v1/roles", {"name": "matrix-role", "permissions": ["tenant:read"]}),
    "token_id": created("id", "/v1/api-tokens", {"name": "matrix", "scopes": ["tenant:read"]}),
}


def _new_role(fixture: Fixture) -> dict[str, Any]:
    return {"name": fixture.unique("bench"), "permissions": ["tenant:read"]}


def _role_path(fixture: Fixture) -> str:
    return f"/v1/roles/{fixture.post('/v1/roles', _new_role(fixture))['name']}"


def _token_path(fixture: Fixture) -> str:
    created = fixture.client.post("/v1/api-tokens", json=NEW_TOKEN, headers=fixture.step_up())  # a step-up route
    created.raise_for_status()
    return f"/v1/api-tokens/{created.json()['id']}"


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "access.create_role": lambda fixture, _: Request(body=_new_role(fixture)),
    "access.get_role": lambda fixture, _: Request(path=_role_path(fixture)),
    "access.update_role": lambda fixture, _: Request(path=_role_path(fixture), body={"description": "Renamed"},
                                                     headers={"If-Match": '"1"'}),
    "access.delete_role": lambda fixture, _: Request(path=_role_path(fixture)),
    "access.create_api_token": lambda _fixture, _: Request(body=NEW_TOKEN),
    "access.get_api_token": lambda fixture, _: Request(path=_token_path(fixture)),
    "access.rotate_api_token": lambda fixture, _: Request(path=_token_path(fixture) + "/rotate"),
    "access.revoke_api_token": lambda fixture, _: Request(path=_token_path(fixture)),
}

AWS_CALL_BUDGETS = {
    "access.create_role": CallBudget(2,
        "A consistent GetItem of the tenant's custom roles item (name taken, 50-role limit) before the transaction "
        "that rewrites it."),
    "access.create_role + Idempotency-Key": CallBudget(4,
        "The read and the transaction of create_role, plus the idempotency record claimed before and completed after."),
    "access.update_role": CallBudget(2,
        "A consistent GetItem of the custom roles item (the role's own version for If-Match) before the transaction."),
    "access.delete_role": CallBudget(3,
        "A consistent GetItem of the custom roles item, one Query per page of the tenant's memberships (a role members"
        " hold is not deleted), then the transaction."),
    "access.create_api_token + Idempotency-Key": CallBudget(3,
        "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, so a "
        "retry replays the stored response."),
    "access.rotate_api_token": CallBudget(3,
        "A consistent GetItem of the token, a consistent BatchGetItem of its live secrets (their versions), then one "
        "transaction writing token and secrets."),
    "access.revoke_api_token": CallBudget(3,
        "A consistent GetItem of the token, a consistent BatchGetItem of its live secrets, then one transaction "
        "deleting all of them."),
}
