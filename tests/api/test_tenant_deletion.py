"""Tenant deletion (docs/compliance.md): the owner asks (step-up), the tenant is suspended with its owners let in
narrowly and a final backup written; when due, its items, files, data keys and the global items pointing at it go,
another tenant untouched; cancelled within the grace, nothing goes and access returns."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import NEW_CUSTOMER, a_customer
from atrium.compliance.backups.models import BackupItem, BackupStatus
from atrium.compliance.backups.testing import finished_backup, run_job
from atrium.compliance.offboarding.deletion import run_deletions
from atrium.identity import access_state
from atrium.identity.directory import TenantDirectoryItem
from atrium.identity.members import invitation_emails
from atrium.identity.mfa_challenge import start_mfa_challenge
from atrium.identity.models import UserItem
from atrium.kernel import clock, files
from atrium.kernel.config import settings
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from tests.api.account_helpers import enable_mfa, next_code
from tests.api.conftest import PASSWORD, Tenant
from tests.api.test_operator import _operator
from tests.support.at_rest import table_items
from tests.support.people import add_member, join
from tests.support.step_up import stepped_up

DELETION = "/v1/tenant/deletion"
FILE_BODY = b"%PDF-1.7 a proof"


def _files(tenant_id: str) -> list[str]:
    listed = boto3.client("s3", region_name=settings().region).list_objects_v2(
        Bucket=settings().files_bucket, Prefix=f"tenants/{tenant_id}/")
    return [found["Key"] for found in listed.get("Contents", [])]


def _put_file(tenant_id: str) -> None:
    boto3.client("s3", region_name=settings().region).put_object(
        Bucket=settings().files_bucket, Key=f"tenants/{tenant_id}/proofs/prf_1/upload.pdf", Body=FILE_BODY)


def _owned(tenant_id: str) -> list[dict[str, Any]]:
    return [item for item in table_items() if item["pk"]["S"].startswith(f"T#{tenant_id}#")]


def _pointing_at(tenant_id: str) -> list[dict[str, Any]]:
    """Global items naming the tenant anywhere (any attribute), but its deletion record."""
    return [item for item in table_items() if item["pk"]["S"].startswith("G#") and tenant_id in str(item)
            and item["entity"]["S"] != "TenantDeletion"]


def _request(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.post(DELETION, json={}, headers=stepped_up(client, tenant.auth))
    assert response.status_code == 202, response.text
    access_state.forget_cached_access()
    body: dict[str, Any] = response.json()
    return body


def test_a_deleted_tenant_leaves_no_item_file_key_or_global_item_and_others_are_untouched(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    shared = add_member(tenant_b.id, "member")
    join(tenant_a.id, shared, "admin")  # a user of both tenants keeps B
    token = client.post("/v1/api-tokens", json={"name": "CI", "scopes": ["tenant:read"]},
                        headers=stepped_up(client, tenant_a.auth))
    assert token.status_code == 201, token.text
    for tenant in (tenant_a, tenant_b):
        _put_file(tenant.id)
    a_customer(client, tenant_a)  # personal fields: the tenant's data keys exist

    deletion = _request(client, tenant_a)
    assert deletion["status"] == "scheduled" and deletion["due_at"] > clock.iso(clock.now() + timedelta(days=29))
    run_job(tenant_a.id, _backup(client, tenant_a, deletion["final_backup_id"])["job_id"], "compliance.backup",
            tenant_a.user_id)
    assert _backup(client, tenant_a, deletion["final_backup_id"])["status"] == "succeeded"  # the owner fetches it
    b_before = _owned(tenant_b.id)
    admin = _operator(client)

    assert run_deletions(clock.now() + timedelta(days=29)) == {"tenants_deleted": 0, "deletions_cancelled": 0}
    assert _owned(tenant_a.id) and _files(tenant_a.id)
    assert run_deletions(clock.now() + timedelta(days=31)) == {"tenants_deleted": 1, "deletions_cancelled": 0}

    assert _owned(tenant_a.id) == [] and _files(tenant_a.id) == []  # the DataKeys item with the rest
    assert _pointing_at(tenant_a.id) == [] and TenantDirectoryItem.find(tenant_a.id) is None
    user = UserItem.find(shared.user_id, consistent=True)
    assert user is not None and user.tenant_ids == [tenant_b.id]
    assert _owned(tenant_b.id) == b_before and len(_files(tenant_b.id)) == 1
    assert TenantDirectoryItem.find(tenant_b.id) is not None
    followed = client.get(f"/v1/operator/tenants/{tenant_a.id}/deletion", headers=admin).json()
    assert followed["status"] == "deleted" and followed["counts"]["keys"] == 1
    assert followed["counts"]["files"] >= 2 and followed["counts"]["items"] > 10
    assert followed["counts"]["global_items"] >= 4  # directory entry, API token secret, two users' memberships
    logged = [item for item in _owned(PLATFORM_TENANT_ID) if item["entity"]["S"] == "Audit"
              and item["action"]["S"] == "tenant.deleted"]
    assert any(tenant_a.id in str(item) for item in logged)
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=tenant_a.auth).status_code == 401


def _backup(client: TestClient, tenant: Tenant, backup_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/backups/{backup_id}", headers=tenant.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_while_held_only_the_owner_gets_in_and_only_to_the_deletion_and_backups(
        client: TestClient, tenant_a: Tenant) -> None:
    admin = add_member(tenant_a.id, "admin")
    _request(client, tenant_a)
    assert client.get(DELETION, headers=tenant_a.auth).json()["status"] == "scheduled"
    assert client.get("/v1/backups", headers=tenant_a.auth).status_code == 200
    refused = client.get("/v1/tenant", headers=tenant_a.auth)
    assert refused.status_code == 403 and "tenant:read" in refused.json()["detail"]
    assert client.get(DELETION, headers=admin.auth).status_code == 403  # suspended, for everyone else
    login = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD})
    assert login.status_code == 200, login.text  # the owner can still sign in
    refused_login = client.post("/v1/auth/login", json={"email": admin.email, "password": PASSWORD})
    assert refused_login.status_code == 403, refused_login.text


def test_an_owner_with_mfa_still_signs_in_while_held(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(clock.now()):
        secret, _ = enable_mfa(client, tenant_a.auth)
        _request(client, tenant_a)
        signed_in = client.post("/v1/auth/mfa", json={"mfa_token": start_mfa_challenge(tenant_a.user_id, tenant_a.id),
                                                      "code": next_code(secret)})
        assert signed_in.status_code == 200, signed_in.text


def test_a_deletion_cancelled_within_the_grace_deletes_nothing_and_access_returns(
        client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    _request(client, tenant_a)
    assert client.get("/v1/tenant", headers=member.auth).status_code == 403
    cancelled = client.delete(DELETION, headers=stepped_up(client, tenant_a.auth))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    access_state.forget_cached_access()
    assert client.get("/v1/tenant", headers=member.auth).json()["status"] == "active"
    before = _owned(tenant_a.id)
    assert run_deletions(clock.now() + timedelta(days=31)) == {"tenants_deleted": 0, "deletions_cancelled": 0}
    assert _owned(tenant_a.id) == before and TenantDirectoryItem.find(tenant_a.id) is not None
    assert client.delete(DELETION, headers=stepped_up(client, tenant_a.auth)).status_code == 409
    assert _request(client, tenant_a)["status"] == "scheduled"  # asked again, after a cancellation
    assert client.post(DELETION, json={}, headers=stepped_up(client, tenant_a.auth)).status_code == 409


def test_only_an_owner_who_stepped_up_may_ask(client: TestClient, tenant_a: Tenant) -> None:
    admin = add_member(tenant_a.id, "admin")
    refused = client.post(DELETION, json={}, headers=stepped_up(client, admin.auth))
    assert refused.status_code == 403 and "tenant:delete" in refused.json()["detail"]
    assert client.post(DELETION, json={}, headers=tenant_a.auth).status_code == 401  # no step-up
    assert client.get(DELETION, headers=tenant_a.auth).status_code == 404
    assert client.get("/v1/tenant", headers=admin.auth).status_code == 200  # nothing was suspended
    for path, body in (("/v1/roles", {"name": "offboarder", "permissions": ["tenant:delete"]}),
                       ("/v1/api-tokens", {"name": "CI", "scopes": ["tenant:delete"]})):
        granted = client.post(path, json=body, headers=stepped_up(client, tenant_a.auth))
        assert granted.status_code == 422 and "only owners hold tenant:delete" in granted.text, granted.text


def test_a_tenant_reactivated_by_an_operator_is_not_deleted(client: TestClient, tenant_a: Tenant) -> None:
    _request(client, tenant_a)
    operator = _operator(client)
    assert client.post(f"/v1/operator/tenants/{tenant_a.id}/reactivate", headers=operator).status_code == 200
    assert run_deletions(clock.now() + timedelta(days=31)) == {"tenants_deleted": 0, "deletions_cancelled": 1}
    assert TenantDirectoryItem.find(tenant_a.id) is not None
    assert client.get(f"/v1/operator/tenants/{tenant_a.id}/deletion", headers=operator).json()["status"] == "cancelled"


def _export(client: TestClient, tenant: Tenant, backup_id: str) -> zipfile.ZipFile:
    """The final export, through the route's redirect: a presigned URL of the object beside the final backup."""
    response = client.get(f"{DELETION}/export", headers=tenant.auth, follow_redirects=False)
    assert response.status_code == 303, response.text
    url = urlparse(response.headers["Location"])
    key = f"tenants/{tenant.id}/backups/{backup_id}/export.zip"
    assert url.path.endswith(key) and "attachment" in parse_qs(url.query)["response-content-disposition"][0]
    with tenant_scope(tenant.id):
        body = files.read(key)
    assert body is not None
    return zipfile.ZipFile(io.BytesIO(body))


def test_the_final_export_holds_every_item_readable_and_the_files_but_no_credential(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    _put_file(tenant_a.id)
    customer = a_customer(client, tenant_a)
    invited = client.post("/v1/invitations", json={"email": "kai@example.com", "roles": [{"role": "member"}]},
                          headers=tenant_a.auth)
    assert invited.status_code == 201, invited.text
    with tenant_scope(tenant_a.id):
        invitation_emails.issue_token(tenant_a.id, invited.json()["id"])  # its hash is kept on the invitation
    token = client.post("/v1/api-tokens", json={"name": "CI", "scopes": ["tenant:read"]},
                        headers=stepped_up(client, tenant_a.auth))
    assert token.status_code == 201, token.text
    deletion = _request(client, tenant_a)
    assert client.get(f"{DELETION}/export", headers=tenant_a.auth).status_code == 409  # being written
    backup = _backup(client, tenant_a, deletion["final_backup_id"])
    run_job(tenant_a.id, backup["job_id"], "compliance.backup", tenant_a.user_id)

    archive = _export(client, tenant_a, backup["id"])
    assert _backup(client, tenant_a, backup["id"])["export_sha256"] == hashlib.sha256(
        archive.fp.getvalue()).hexdigest()  # type: ignore[union-attr]
    manifest = json.loads(archive.read("manifest.json"))
    customers = [json.loads(line) for line in archive.read("items/Customer.jsonl").splitlines()]
    assert [(c["id"], c["name"]) for c in customers] == [(customer, NEW_CUSTOMER["name"])]  # decrypted
    contact = customers[0]["billing_contact"]  # an object, as the API takes it
    assert {"name": contact["name"], "email": contact["email"]} == NEW_CUSTOMER["billing_contact"]
    assert manifest["items"]["Customer"] == 1 and manifest["items"]["Invitation"] == 1
    assert archive.read("files/proofs/prf_1/upload.pdf") == FILE_BODY
    assert [found["sha256"] for found in manifest["files"]] == [hashlib.sha256(FILE_BODY).hexdigest()]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"fe1:" not in everything  # no ciphertext
    (invitation,) = [json.loads(line) for line in archive.read("items/Invitation.jsonl").splitlines()]
    (api_token,) = [json.loads(line) for line in archive.read("items/ApiToken.jsonl").splitlines()]
    assert invitation["email"] == "kai@example.com" and "token_hash" not in invitation
    assert api_token["name"] == "CI" and "secrets" not in api_token and "pk" not in api_token
    assert "items/Session.jsonl" not in archive.namelist()  # the mechanics of requests are not the tenant's data

    assert client.get(f"{DELETION}/export", headers=tenant_b.auth).status_code == 404  # B has no deletion
    assert client.get(f"{DELETION}/export", headers=add_member(tenant_b.id, "admin").auth).status_code == 403


def test_only_the_final_backup_gets_a_readable_copy(client: TestClient, tenant_a: Tenant) -> None:
    backup = finished_backup(client, tenant_a.id, tenant_a.auth)
    assert _backup(client, tenant_a, backup["id"])["export_sha256"] is None
    assert not [key for key in _files(tenant_a.id) if key.endswith("/export.zip")]


def test_a_failed_final_backup_says_how_to_write_the_export_again(client: TestClient, tenant_a: Tenant) -> None:
    deletion = _request(client, tenant_a)
    with tenant_scope(tenant_a.id):
        backup = BackupItem.load(tenant_a.id, deletion["final_backup_id"], consistent=True)
        backup.status, backup.error = BackupStatus.FAILED, "the files bucket did not answer"
        backup.save()
    refused = client.get(f"{DELETION}/export", headers=tenant_a.auth)
    assert refused.status_code == 409
    assert f"/v1/jobs/{backup.job_id}/retry" in refused.json()["detail"]
    assert "the files bucket did not answer" in refused.json()["detail"]


def test_the_final_backup_stays_while_the_deletion_is_pending(client: TestClient, tenant_a: Tenant) -> None:
    deletion = _request(client, tenant_a)
    backup = _backup(client, tenant_a, deletion["final_backup_id"])
    run_job(tenant_a.id, backup["job_id"], "compliance.backup", tenant_a.user_id)
    refused = client.delete(f"/v1/backups/{backup['id']}", headers=tenant_a.auth)
    assert refused.status_code == 403  # the tenant is held: its owners reach the deletion and read backups only
    assert client.delete(DELETION, headers=stepped_up(client, tenant_a.auth)).status_code == 200
    access_state.forget_cached_access()
    assert client.delete(f"/v1/backups/{backup['id']}", headers=tenant_a.auth).status_code == 204
    assert not [key for key in _files(tenant_a.id) if "/backups/" in key]  # its export.zip too
