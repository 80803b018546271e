"""A tenant's email branding: read, replace with If-Match, validation, audit, use in sent mail, isolation."""

from email import message_from_string, policy
from email.headerregistry import Address
from typing import Any

from fastapi.testclient import TestClient

from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.account_helpers import audited
from tests.api.conftest import Tenant
from tests.support.invitations import invite

PATH = "/v1/tenant/branding"
ACME = {"sender_name": 'Acme "Support"', "brand_color": "#0a66c2", "logo_url": "https://cdn.example.com/acme.png"}


def _put(client: TestClient, tenant: Tenant, body: dict[str, Any],
         etag: str | None = '"0"') -> tuple[int, dict[str, Any]]:
    headers = tenant.auth | ({"If-Match": etag} if etag else {})
    response = client.put(PATH, json=body, headers=headers)
    return response.status_code, response.json() | {"etag": response.headers.get("etag")}


def test_unset_branding_reads_empty_with_etag_zero(client: TestClient, tenant_a: Tenant) -> None:
    response = client.get(PATH, headers=tenant_a.auth)
    assert response.status_code == 200 and response.headers["etag"] == '"0"'
    assert response.json() == {"sender_name": None, "brand_color": None, "logo_url": None}


def test_replace_needs_the_current_etag(client: TestClient, tenant_a: Tenant) -> None:
    assert _put(client, tenant_a, ACME, etag=None)[0] == 428
    status, body = _put(client, tenant_a, ACME)
    assert status == 200 and body["etag"] == '"1"' and body["sender_name"] == 'Acme "Support"'
    assert _put(client, tenant_a, {"brand_color": "#000000"})[0] == 412  # "0" is stale now
    status, body = _put(client, tenant_a, {"brand_color": "#000000"}, etag='"1"')
    assert status == 200 and body["sender_name"] is None and body["brand_color"] == "#000000"
    assert client.get(PATH, headers=tenant_a.auth).json()["brand_color"] == "#000000"
    assert audited("tenant.branding_updated") == [tenant_a.id, tenant_a.id]


def test_invalid_branding_is_a_422_problem(client: TestClient, tenant_a: Tenant) -> None:
    for body in ({"sender_name": "Acme\r\nBcc: x@example.com"}, {"brand_color": "red"},
                 {"logo_url": "http://cdn.example.com/a.png"}, {"colour": "#000000"}):
        response = client.put(PATH, json=body, headers=tenant_a.auth | {"If-Match": '"0"'})
        assert response.status_code == 422, body
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(PATH, headers=tenant_a.auth).headers["etag"] == '"0"'


def test_mail_is_sent_in_the_tenants_branding_and_only_that_tenants(client: TestClient, worker: Worker,
                                                                   tenant_a: Tenant, tenant_b: Tenant) -> None:
    assert _put(client, tenant_a, ACME)[0] == 200
    invite(client, tenant_a.auth, "to.a@example.com")
    invite(client, tenant_b.auth, "to.b@example.com")
    worker.drain()
    mails = {mail["to"]: mail for mail in sent_mail()}
    to_a, to_b = mails["to.a@example.com"], mails["to.b@example.com"]
    assert Address(display_name='Acme "Support"', addr_spec="no-reply@atrium.local") == _sender(to_a["from"])
    assert "#0a66c2" in to_a["html"] and "https://cdn.example.com/acme.png" in to_a["html"]
    assert _sender(to_b["from"]).display_name == "Atrium" and "#0a66c2" not in to_b["html"]
    assert client.get(PATH, headers=tenant_b.auth).json()["sender_name"] is None


def _sender(header: str) -> Address:
    (address,) = message_from_string(f"From: {header}\n\n", policy=policy.default)["From"].addresses
    assert isinstance(address, Address)
    return address
