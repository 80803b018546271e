"""Tenant backups (docs/compliance.md): a job writes the tenant's items as stored and its files with a manifest; a
restore into a new tenant gives the same entities (content hashes, files included) under new keys and the new
tenant's data key; a point-in-time restore rolls the tenant back; a schedule backs up and prunes; refusals."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from atrium import manifest
from atrium.apps.fieldwork.testing import a_customer
from atrium.compliance.backups import snapshot
from atrium.compliance.backups.contents import opened
from atrium.compliance.backups.testing import finished_backup, run_job
from atrium.jobs import runner
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.tenancy import tenant_scope
from atrium_local.worker import Worker
from tests.api.conftest import PASSWORD, Tenant

BACKUPS = "/v1/backups"
SCHEDULE = "/v1/backups/schedule"
FILE_NAME, FILE_BODY = "proofs/prf_1/upload.pdf", b"%PDF-1.7 a proof"


def _dynamodb() -> Any:
    return boto3.client("dynamodb", region_name=settings().region)


def _s3() -> Any:
    return boto3.client("s3", region_name=settings().region)


def _raw_items(tenant_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in _dynamodb().get_paginator("scan").paginate(
            TableName=settings().table_name, FilterExpression="begins_with(pk, :t)",
            ExpressionAttributeValues={":t": {"S": f"T#{tenant_id}#"}}):
        found += page["Items"]
    return found


def _contents(tenant_id: str, entities: set[str]) -> dict[str, str]:
    """The tenant's items of ``entities``, decrypted, by key, the tenant's id replaced: comparable across tenants."""
    with tenant_scope(tenant_id):
        return {item["pk"]["S"].replace(tenant_id, "T") + "|" + item["sk"]["S"]:
                json.dumps(opened(item), sort_keys=True).replace(tenant_id, "T")
                for item in _raw_items(tenant_id) if item["entity"]["S"] in entities}


def _restore(client: TestClient, tenant: Tenant, backup_id: str, body: dict[str, Any]) -> dict[str, Any]:
    started = client.post(f"{BACKUPS}/{backup_id}/restore", json=body, headers=tenant.auth)
    assert started.status_code == 202, started.text
    job: dict[str, Any] = started.json()
    run_job(tenant.id, job["id"], job["kind"], job["created_by"])
    finished: dict[str, Any] = client.get(started.headers["location"], headers=tenant.auth).json()
    assert finished["status"] == "succeeded", finished
    return finished


def test_a_backup_restored_into_a_new_tenant_holds_the_same_entities_and_files(
        client: TestClient, tenant_a: Tenant) -> None:
    customers = [a_customer(client, tenant_a) for _ in range(2)]
    _s3().put_object(Bucket=settings().files_bucket, Key=f"tenants/{tenant_a.id}/{FILE_NAME}", Body=FILE_BODY)
    backup = finished_backup(client, tenant_a.id, tenant_a.auth)
    assert client.get(f"{BACKUPS}/{backup['id']}", headers=tenant_a.auth).json()["status"] == "succeeded"

    listed = client.get(BACKUPS, headers=tenant_a.auth).json()
    stored = listed["data"][0]
    assert stored["id"] == backup["id"] and stored["entities"]["Customer"]["items"] == 2 and stored["files"] == 1
    prefix = f"tenants/{tenant_a.id}/backups/{backup['id']}/"
    manifest_body = json.loads(_s3().get_object(Bucket=settings().files_bucket, Key=prefix + "manifest.json")
                               ["Body"].read())
    part = _s3().get_object(Bucket=settings().files_bucket, Key=prefix + manifest_body["parts"][0]["key"])
    lines = part["Body"].read().decode()
    assert "Harbour Bakery" not in lines and '"fe1:' in lines  # protected attributes stay ciphertext
    assert {"Session", "DataKeys", "Audit", "Outbox"}.isdisjoint(manifest_body["entities"])

    job = _restore(client, tenant_a, backup["id"], {"target": "new_tenant", "name": "Restored"})
    result = job["result"]
    new_id = result["tenant_id"]
    assert new_id != tenant_a.id and result["verified"] is True, result
    assert result["entities"]["Customer"] == {"expected": 2, "found": 2, "match": True}
    assert job["progress"] == 1.0

    copied = {name for name, counted in result["entities"].items() if counted["found"]}
    assert "Customer" in copied and "Tenant" not in copied  # the new tenant's own record, not the source's
    assert _contents(new_id, copied) == _contents(tenant_a.id, copied)
    customer = next(item for item in _raw_items(new_id) if item["entity"]["S"] == "Customer")
    assert customer["name"]["S"].startswith("fe1:") and customers[0] in customer["pk"]["S"] + customers[1]
    body = _s3().get_object(Bucket=settings().files_bucket, Key=f"tenants/{new_id}/{FILE_NAME}")["Body"].read()
    assert body == FILE_BODY

    # The caller owns the new tenant and signs in to it; the source is untouched.
    login = client.post("/v1/auth/login", json={"email": tenant_a.email, "password": PASSWORD, "tenant_id": new_id})
    assert login.status_code == 200, login.text
    new_auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get("/v1/tenant", headers=new_auth).json()["name"] == "Restored"
    assert client.get(f"/v1/fieldwork/customers/{customers[0]}", headers=new_auth).json()["name"] == "Harbour Bakery"
    assert len(client.get("/v1/fieldwork/customers", headers=tenant_a.auth).json()["data"]) == 2


def _seed(tenant_id: str, count: int) -> None:
    """``count`` plain items of the tenant (a model-less type: copied as stored), put straight into moto's table:
    the API would take seconds."""
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][settings().region].get_table(settings().table_name)
    for number in range(count):
        table.put_item({"pk": {"S": f"T#{tenant_id}#Note#n{number:05d}"}, "sk": {"S": "#"}, "entity": {"S": "Note"},
                        "tenant_id": {"S": tenant_id}, "body": {"S": f"note {number}"}})


def test_a_tenant_of_5000_items_is_restored_by_a_job_reporting_its_progress(
        client: TestClient, tenant_a: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(tenant_a.id, 5000)
    backup = finished_backup(client, tenant_a.id, tenant_a.auth)
    assert backup["id"] and client.get(f"{BACKUPS}/{backup['id']}", headers=tenant_a.auth).json()[
        "entities"]["Note"]["items"] == 5000
    reported: list[tuple[float, str | None]] = []
    report = runner._report

    def recording(job: Any, fraction: float, message: str | None) -> None:
        reported.append((fraction, message))
        report(job, fraction, message)

    monkeypatch.setattr(runner, "_report", recording)

    job = _restore(client, tenant_a, backup["id"], {"target": "new_tenant"})
    assert job["result"]["verified"] is True and job["result"]["entities"]["Note"]["found"] == 5000
    restored = [message for _, message in reported if message and "items restored" in message]
    assert len(restored) == 6 and restored[-1] == "5003 of 5003 items restored"  # a part of 1,000 items at a time
    assert [fraction for fraction, _ in reported] == sorted(fraction for fraction, _ in reported)


def test_a_point_in_time_restore_rolls_the_tenant_back_after_confirmation(
        client: TestClient, tenant_a: Tenant) -> None:
    kept = a_customer(client, tenant_a)
    backup = finished_backup(client, tenant_a.id, tenant_a.auth)
    newer = a_customer(client, tenant_a)
    path = f"/v1/fieldwork/customers/{kept}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    renamed = client.patch(path, json={"name": "Renamed"}, headers=tenant_a.auth | {"If-Match": etag})
    assert renamed.status_code == 200, renamed.text
    log_before = client.get("/v1/audit-events", headers=tenant_a.auth).json()["data"]

    refused = client.post(f"{BACKUPS}/{backup['id']}/restore", json={"target": "same_tenant_point_in_time"},
                          headers=tenant_a.auth)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.confirm"
    job = _restore(client, tenant_a, backup["id"], {"target": "same_tenant_point_in_time",
                                                    "confirm": backup["id"]})

    assert job["result"]["verified"] is True and job["result"]["tenant_id"] == tenant_a.id
    assert client.get(path, headers=tenant_a.auth).json()["name"] == "Harbour Bakery"
    assert client.get(f"/v1/fieldwork/customers/{newer}", headers=tenant_a.auth).status_code == 404
    # The audit log is not rolled back: it keeps what happened, the restore included.
    log_after = [entry["id"] for entry in client.get("/v1/audit-events", headers=tenant_a.auth).json()["data"]]
    assert {entry["id"] for entry in log_before} <= set(log_after)
    assert client.get("/v1/me", headers=tenant_a.auth).status_code == 200  # sessions and members stay


def test_a_backup_is_restored_only_once_finished_and_only_the_callers(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    running = client.post(BACKUPS, json={}, headers=tenant_a.auth)
    assert running.status_code == 202 and running.headers["location"] == f"{BACKUPS}/{running.json()['id']}"
    assert running.json()["status"] == "running"
    restore = f"{BACKUPS}/{running.json()['id']}/restore"
    assert client.post(restore, json={"target": "new_tenant"}, headers=tenant_a.auth).status_code == 409
    assert client.post(restore, json={"target": "new_tenant"}, headers=tenant_b.auth).status_code == 404
    assert client.post(restore, json={"target": "elsewhere"}, headers=tenant_a.auth).status_code == 422
    assert client.get(f"{BACKUPS}/bkp_nothing", headers=tenant_a.auth).status_code == 404
    assert client.get(BACKUPS, headers=tenant_b.auth).json()["data"] == []


def test_a_schedule_backs_up_when_due_and_keeps_the_newest(client: TestClient, tenant_a: Tenant,
                                                           worker: Worker) -> None:
    unset = client.get(SCHEDULE, headers=tenant_a.auth)
    assert unset.json() == {"frequency": None, "keep": None} and unset.headers["etag"] == '"0"'
    bad = client.put(SCHEDULE, json={"frequency": "hourly", "keep": 0}, headers=tenant_a.auth | {"If-Match": '"0"'})
    assert bad.status_code == 422 and {error["field"] for error in bad.json()["errors"]} == {
        "body.frequency", "body.keep"}
    put = client.put(SCHEDULE, json={"frequency": "daily", "keep": 2}, headers=tenant_a.auth | {"If-Match": '"0"'})
    assert put.status_code == 200 and put.headers["etag"] == client.get(SCHEDULE, headers=tenant_a.auth).headers[
        "etag"]
    run = manifest.schedule("compliance.backup_schedules").handler
    day = datetime(2026, 12, 8, 3, tzinfo=UTC)
    for days in range(4):
        with clock.frozen(day + timedelta(days=days)):
            run(day + timedelta(days=days))
            assert run(day + timedelta(days=days, minutes=5))["backups_started"] == 0  # not due again the same day
            worker.drain()
    backups = client.get(BACKUPS, headers=tenant_a.auth).json()["data"]
    # Four made, one a day; the oldest pruned at the fourth run (two finished ones kept, then the fourth made).
    assert len(backups) == 3 and all(backup["trigger"] == "scheduled" for backup in backups)
    pruned = _s3().list_objects_v2(Bucket=settings().files_bucket, Prefix=f"tenants/{tenant_a.id}/backups/")
    assert {obj["Key"].split("/")[3] for obj in pruned["Contents"]} == {backup["id"] for backup in backups}


def test_the_backup_job_writes_parts_of_bounded_size(client: TestClient, tenant_a: Tenant,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "PART_ITEMS", 3)
    _seed(tenant_a.id, 7)
    backup = finished_backup(client, tenant_a.id, tenant_a.auth)
    manifest_body = json.loads(_s3().get_object(
        Bucket=settings().files_bucket, Key=f"tenants/{tenant_a.id}/backups/{backup['id']}/manifest.json")[
        "Body"].read())
    parts = manifest_body["parts"]
    assert [part["items"] for part in parts][:-1] == [3] * (len(parts) - 1) and 0 < parts[-1]["items"] <= 3
    assert sum(part["items"] for part in parts) == sum(
        counted["items"] for counted in manifest_body["entities"].values())


def test_a_backup_whose_job_fails_says_why_and_its_retry_writes_it(client: TestClient, tenant_a: Tenant,
                                                                   worker: Worker,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(_tenant_id: str, _prefix: str) -> list[dict[str, Any]]:
        raise ConnectionError("the files bucket did not answer")

    monkeypatch.setattr(snapshot, "_copy_files", unreachable)
    backup = client.post(BACKUPS, json={}, headers=tenant_a.auth).json()
    worker.drain()  # every attempt fails; the last one tells the backup
    failed = client.get(f"{BACKUPS}/{backup['id']}", headers=tenant_a.auth).json()
    assert failed["status"] == "failed" and failed["error"] == "the files bucket did not answer"
    assert failed["finished_at"] is not None and failed["manifest_sha256"] is None
    assert client.get(f"/v1/jobs/{backup['job_id']}", headers=tenant_a.auth).json()["status"] == "failed"
    assert client.post(f"{BACKUPS}/{backup['id']}/restore", json={"target": "new_tenant"},
                       headers=tenant_a.auth).status_code == 409

    monkeypatch.undo()
    assert client.post(f"/v1/jobs/{backup['job_id']}/retry", headers=tenant_a.auth).status_code == 202
    worker.drain()
    written = client.get(f"{BACKUPS}/{backup['id']}", headers=tenant_a.auth).json()
    assert written["status"] == "succeeded" and written["error"] is None and written["manifest_sha256"]


def test_a_backup_is_deleted_with_its_files_by_its_tenant_only(client: TestClient, tenant_a: Tenant,
                                                               tenant_b: Tenant) -> None:
    _s3().put_object(Bucket=settings().files_bucket, Key=f"tenants/{tenant_a.id}/{FILE_NAME}", Body=FILE_BODY)
    kept, deleted = (finished_backup(client, tenant_a.id, tenant_a.auth) for _ in range(2))
    running = client.post(BACKUPS, json={}, headers=tenant_a.auth).json()
    assert client.delete(f"{BACKUPS}/{running['id']}", headers=tenant_a.auth).status_code == 409
    assert client.delete(f"{BACKUPS}/{deleted['id']}", headers=tenant_b.auth).status_code == 404
    assert client.delete(f"{BACKUPS}/{deleted['id']}", headers=tenant_a.auth).status_code == 204
    assert client.get(f"{BACKUPS}/{deleted['id']}", headers=tenant_a.auth).status_code == 404
    assert client.delete(f"{BACKUPS}/{deleted['id']}", headers=tenant_a.auth).status_code == 404
    left = _s3().list_objects_v2(Bucket=settings().files_bucket, Prefix=f"tenants/{tenant_a.id}/backups/")
    assert {obj["Key"].split("/")[3] for obj in left["Contents"]} == {kept["id"]}
    assert [b["id"] for b in client.get(BACKUPS, headers=tenant_a.auth).json()["data"]] == [running["id"], kept["id"]]
    logged = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant_a.auth).json()["data"]
    assert [entry["action"] for entry in logged].count("backups.backup_deleted") == 1
