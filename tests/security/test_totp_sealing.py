"""TOTP secrets are sealed at rest, like webhook signing secrets: the table (and so its stream) holds ciphertext
that opens only with the MFA key in Secrets Manager and only for its own user. Codes still verify, and a secret
stored in the clear before sealing still works and is sealed by its next use."""

from datetime import timedelta
from typing import Any

import boto3
import pyotp
from fastapi.testclient import TestClient

from atrium.identity.models import UserItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from tests.api.account_helpers import code_at, enable_mfa
from tests.api.conftest import PASSWORD, Tenant
from tests.support.people import add_member
from tests.support.step_up import stepped_up


def _raw_items() -> list[dict[str, Any]]:
    table = boto3.client("dynamodb", region_name=settings().region)
    return [item for page in table.get_paginator("scan").paginate(TableName=settings().table_name)
            for item in page["Items"]]


def _stored_secret(user_id: str) -> str:
    (user,) = [item for item in _raw_items() if item["pk"]["S"] == f"G#User#{user_id}"]
    return str(user["totp_secret"]["S"])


def _sign_in_with_a_code(client: TestClient, email: str, secret: str) -> int:
    login = client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200 and login.json()["mfa_required"], login.text
    code = pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30))  # a step not used before
    status: int = client.post("/v1/auth/mfa", json={"mfa_token": login.json()["mfa_token"], "code": code}).status_code
    return status


def test_the_table_holds_no_totp_secret_in_the_clear_and_codes_still_verify(client: TestClient,
                                                                            tenant_a: Tenant) -> None:
    pending = client.post("/v1/me/mfa/totp", headers=stepped_up(client, tenant_a.auth)).json()["secret"]
    assert pending not in str(_raw_items())
    assert client.post("/v1/me/mfa/totp/confirm", json={"code": code_at(pending)},
                       headers=tenant_a.auth).status_code == 200

    assert pending not in str(_raw_items())
    assert _sign_in_with_a_code(client, tenant_a.email, pending) == 200


def test_a_sealed_secret_copied_onto_another_user_does_not_open(client: TestClient, tenant_a: Tenant) -> None:
    secret, _ = enable_mfa(client, tenant_a.auth)
    other = add_member(tenant_a.id, "member")
    enable_mfa(client, other.auth)
    user = UserItem.find(other.user_id)
    assert user is not None
    user.totp_secret = _stored_secret(tenant_a.user_id)  # the owner's ciphertext on the member's item
    user.save()
    assert _sign_in_with_a_code(client, other.email, secret) == 401


def test_a_secret_stored_in_the_clear_still_works_and_its_next_use_seals_it(client: TestClient,
                                                                            tenant_a: Tenant) -> None:
    enable_mfa(client, tenant_a.auth)
    user = UserItem.find(tenant_a.user_id)
    assert user is not None
    legacy = pyotp.random_base32()
    user.totp_secret = legacy  # as stored before sealing
    user.save()

    with clock.frozen(clock.now()) as advance:
        assert _sign_in_with_a_code(client, tenant_a.email, legacy) == 200
        assert legacy not in str(_raw_items())
        advance(60)
        assert _sign_in_with_a_code(client, tenant_a.email, legacy) == 200  # sealed now, and still the secret
