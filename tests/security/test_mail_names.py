"""Names that mail shows cannot forge what a mail says: a tenant's name and a sender name refuse control
characters, line breaks, bidi overrides, zero-width characters and RFC 2047 encoded words (422 naming the field);
a sender name refuses anything that reads as an address. A value stored before these rules neither breaks a mail
nor forges its headers."""

from email import message_from_string, policy
from email.headerregistry import Address

import pytest
from fastapi.testclient import TestClient

from atrium.identity.models import TenantItem
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.models import BrandingItem
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant
from tests.support.invitations import invite

# "support@paypal.com", as a mail client decodes it.
ENCODED_ADDRESS = "=?utf-8?B?c3VwcG9ydEBwYXlwYWwuY29t?="
UNSAFE_NAMES = ["Acme\x00", "Acme\r\nBcc: victim@example.com", "Acme\x85Corp", "Acme\u2028Corp", "Acme\u202eevil",
                "Acme\u2067evil\u2069", "Ac\u200bme", "Ac\u200dme", "Ac\u2060me", "\ufeffAcme", ENCODED_ADDRESS,
                "Acme =?iso-8859-1?q?Bank?= Support"]
ADDRESS_LIKE = ["support@paypal.com", "PayPal <support@paypal.com>", "support\uff20paypal.com", "PayPal <security>"]


def _field_errors(response: object) -> list[str]:
    assert getattr(response, "status_code", None) == 422, getattr(response, "text", response)
    body = response.json()  # type: ignore[attr-defined]
    return [error["field"] for error in body["errors"]]


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_signup_and_renaming_refuse_an_unsafe_tenant_name(client: TestClient, tenant_a: Tenant, name: str) -> None:
    signup = client.post("/v1/signup", json={"tenant_name": name, "email": "new.owner@example.com",
                                             "password": PASSWORD})
    assert _field_errors(signup) == ["body.tenant_name"]
    rename = client.patch("/v1/tenant", json={"name": name}, headers=tenant_a.auth | {"If-Match": '"1"'})
    assert _field_errors(rename) == ["body.name"]


@pytest.mark.parametrize("name", UNSAFE_NAMES + ADDRESS_LIKE)
def test_branding_refuses_an_unsafe_or_address_like_sender_name(client: TestClient, tenant_a: Tenant,
                                                                name: str) -> None:
    response = client.put("/v1/tenant/branding", json={"sender_name": name},
                          headers=tenant_a.auth | {"If-Match": '"0"'})
    assert _field_errors(response) == ["body.sender_name"]


def test_names_stored_before_the_rules_neither_break_a_mail_nor_forge_its_headers(
        client: TestClient, worker: Worker, tenant_a: Tenant) -> None:
    with tenant_scope(tenant_a.id):
        tenant = TenantItem.load(tenant_a.id, tenant_a.id)
        tenant.name = f"Acme\u202e {ENCODED_ADDRESS}\x00"
        tenant.save()
        BrandingItem(tenant_id=tenant_a.id, id=tenant_a.id, sender_name=f"PayPal {ENCODED_ADDRESS}",
                     brand_color="red").save()
    worker.drain()
    invite(client, tenant_a.auth, "guest@example.com")
    worker.drain()

    (mail,) = [mail for mail in sent_mail() if mail["to"] == "guest@example.com"]
    (sender,) = message_from_string(f"From: {mail['from']}\n\n", policy=policy.default)["From"].addresses
    assert isinstance(sender, Address) and sender.addr_spec == settings().mail_from
    assert "@" not in sender.display_name
    assert "support@paypal.com" not in mail["subject"]
    assert not any(char in mail["subject"] for char in "\x00\u202e\r\n")
