"""Developers for the tests and the bench (``atrium.kernel.testing``): a registration as its emailed link would
leave it (the token known here), verified through the API."""

from functools import cache
from typing import Any

from fastapi.testclient import TestClient

from atrium.identity.developers.key_secrets import mint
from atrium.identity.developers.models import DeveloperEmailItem, DeveloperItem, DeveloperVerificationItem
from atrium.identity.tokens import token_hash
from atrium.kernel import ids
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.store.models import expires_in
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup


def pending_developer(email: str, name: str = "Plugin Works") -> str:
    """A registration awaiting its verification: the token its email would carry."""
    token = mint()
    developer = DeveloperItem(natural_key=ids.new_id("dev"), email=email, name=name,
                              verification_hash=token_hash(token))
    developer.save()
    DeveloperEmailItem.of(email, developer.id).save()
    DeveloperVerificationItem(natural_key=token_hash(token), developer_id=developer.id,
                              expires_at=expires_in(3600)).save()
    return token


def verified_developer(client: TestClient, email: str) -> dict[str, Any]:
    """A developer verified through the API: the answer (the account, and its first key's secret)."""
    response = client.post("/v1/developers/verify", json={"token": pending_developer(email)})
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def developer_auth(answer: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {answer['key']['secret']}"}


@cache  # per fixture
def _developer(fixture: Fixture) -> dict[str, str]:
    return developer_auth(verified_developer(fixture.client, f"{fixture.unique('dev')}@bench.example"))


def _key_path(fixture: Fixture, spec: RouteSpec) -> Request:
    auth = _developer(fixture)
    key = fixture.client.post("/v1/developer/keys", headers=auth).json()
    return Request(headers=auth, path=spec.path.format(key_id=key["id"]))


PATH_IDS = {"key_id": lambda _client, _owner: ids.new_id("dky")}  # a tenant's caller is refused before any lookup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "developers.register_developer": lambda fixture, _: Request(body={
        "email": f"{fixture.unique('dev')}@bench.example", "name": "Plugin Works"}),
    "developers.verify_developer": lambda fixture, _: Request(body={
        "token": pending_developer(f"{fixture.unique('dev')}@bench.example")}),
    "developers.get_developer": lambda fixture, _: Request(headers=_developer(fixture)),
    "developers.create_developer_key": lambda fixture, _: Request(headers=_developer(fixture)),
    "developers.revoke_developer_key": _key_path,
}

AWS_CALL_BUDGETS = {
    "developers.register_developer": CallBudget(6,
        "Consistent GetItems of the address's guard and its developer, the transaction, then the mail: the "
        "recipient's suppression and preferences read before the send."),
    "developers.verify_developer": CallBudget(3,
        "Consistent GetItems of the verification and of its developer, then the transaction."),
    "developers.create_developer_key": CallBudget(2, "A consistent GetItem of the developer, then the transaction."),
    "developers.revoke_developer_key": CallBudget(2, "A consistent GetItem of the developer, then the transaction."),
}
