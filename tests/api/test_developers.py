"""The developer realm (docs/plugins.md, "Developers"): registration with email verification, API keys shown once
and revocable; a realm of its own, which no tenant credential or operator token enters and whose keys open no
tenant's or operator's route."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.developers.access import forget_cached_developers
from atrium.identity.developers.testing import developer_auth, verified_developer
from atrium.identity.operator.accounts import create_operator
from atrium.kernel.http.routing import Realm
from atrium_local.mailbox import sent_mail
from tests.api.conftest import PASSWORD, Tenant
from tests.support.step_up import stepped_up

DEVELOPER_ROUTES = [spec for spec in manifest.routes() if spec.realm is Realm.DEVELOPER]
OTHER_PRIVATE = [spec for spec in manifest.routes() if spec.realm is not Realm.DEVELOPER and not spec.is_public]
FILLER = "zzz_01M80NEQ8V8WMTDAMZFMBRHY14"


def _path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", FILLER, path)


def _token_in(mail: dict[str, Any]) -> str:
    found = re.search(r"#token=([A-Za-z0-9_-]+)", mail["text"])
    assert found, mail["text"]
    return found.group(1)


def test_a_developer_registers_verifies_by_email_and_gets_a_key_shown_once(client: TestClient) -> None:
    registered = client.post("/v1/developers", json={"email": "Dev@Plugins.example", "name": "Plugin Works"})
    assert registered.status_code == 202, registered.text
    (mail,) = [mail for mail in sent_mail() if mail["to"] == "dev@plugins.example"]
    verified = client.post("/v1/developers/verify", json={"token": _token_in(mail)})
    assert verified.status_code == 201, verified.text
    body = verified.json()
    assert body["developer"]["status"] == "active" and body["key"]["secret"].startswith("atr_dev_")
    me = client.get("/v1/developer", headers=developer_auth(body)).json()
    assert me["email"] == "dev@plugins.example" and me["keys"][0]["id"] == body["key"]["id"]
    assert body["key"]["secret"] not in str(me)
    assert client.post("/v1/developers/verify", json={"token": _token_in(mail)}).status_code == 422
    again = client.post("/v1/developers", json={"email": "dev@plugins.example", "name": "Someone else"})
    assert again.status_code == 202 and again.json() == registered.json()  # the same answer, and no new mail
    assert len([mail for mail in sent_mail() if mail["to"] == "dev@plugins.example"]) == 1


def test_a_revoked_key_stops_opening_the_realm(client: TestClient) -> None:
    first = verified_developer(client, "keys@plugins.example")
    auth = developer_auth(first)
    second = client.post("/v1/developer/keys", headers=auth)
    assert second.status_code == 201 and second.json()["secret"] != first["key"]["secret"]
    assert client.delete(f"/v1/developer/keys/{first['key']['id']}", headers=auth).status_code == 204
    forget_cached_developers()
    assert client.get("/v1/developer", headers=auth).status_code == 401
    other = {"Authorization": f"Bearer {second.json()['secret']}"}
    assert [key["id"] for key in client.get("/v1/developer", headers=other).json()["keys"]] == [second.json()["id"]]
    assert client.delete(f"/v1/developer/keys/{first['key']['id']}", headers=other).status_code == 404


def test_a_developer_key_opens_no_tenant_or_operator_route(client: TestClient) -> None:
    auth = developer_auth(verified_developer(client, "realm@plugins.example"))
    answers = {spec.operation_id: client.request(spec.method, _path(spec.path), headers=auth).status_code
               for spec in OTHER_PRIVATE}
    assert {operation: status for operation, status in answers.items() if status != 403} == {}


@pytest.mark.parametrize("who", ["owner", "api_token", "operator"])
def test_no_tenant_credential_or_operator_enters_the_developer_realm(client: TestClient, tenant_a: Tenant,
                                                                     who: str) -> None:
    if who == "owner":
        auth = tenant_a.auth
    elif who == "api_token":
        token = client.post("/v1/api-tokens", json={"name": "CI", "scopes": ["tenant:read"]},
                            headers=stepped_up(client, tenant_a.auth)).json()
        auth = {"Authorization": f"Bearer {token['secret']}"}
    else:
        create_operator("ops@platform.example", "operator_admin", PASSWORD)
        signed_in = client.post("/v1/operator/auth/login", json={"email": "ops@platform.example",
                                                                  "password": PASSWORD})
        auth = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    answers = {spec.operation_id: client.request(spec.method, _path(spec.path), headers=auth).status_code
               for spec in DEVELOPER_ROUTES}
    assert answers and set(answers.values()) == {403}, answers


def test_developers_and_tenant_admins_get_the_sdk_as_source(client: TestClient, tenant_a: Tenant) -> None:
    developer = developer_auth(verified_developer(client, "sdk@plugins.example"))
    for path, auth in (("/v1/developer/sdk", developer), ("/v1/plugins/sdk", tenant_a.auth)):
        sdk = client.get(path, headers=auth)
        assert sdk.status_code == 200, sdk.text
        files = {entry["path"]: entry["content"] for entry in sdk.json()["files"]}
        assert '@external("atrium", "storage_get")' in files["assembly/atrium.ts"]
        assert "export function hook_count" in files["assembly/index.ts"]


def test_a_new_registration_replaces_the_earlier_link(client: TestClient) -> None:
    for _ in range(2):
        registered = client.post("/v1/developers", json={"email": "twice@plugins.example", "name": "Twice"})
        assert registered.status_code == 202
    latest, earlier = [mail for mail in sent_mail() if mail["to"] == "twice@plugins.example"]  # newest first
    assert client.post("/v1/developers/verify", json={"token": _token_in(earlier)}).status_code == 422
    assert client.post("/v1/developers/verify", json={"token": _token_in(latest)}).status_code == 201
