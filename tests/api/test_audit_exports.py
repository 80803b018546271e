"""Audit exports: a job writes the log to the tenant's files with its SHA-256; the result leads to it."""

import csv
import hashlib
import io
import json
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium_local.worker import Worker
from tests.api.audit_helpers import rename
from tests.api.conftest import Tenant
from tests.support.people import add_member

EXPORTS = "/v1/audit/exports"
THIS_YEAR = {"from": "2026-01-01T00:00:00Z", "to": "2027-01-01T00:00:00Z"}


def _export(client: TestClient, tenant: Tenant, worker: Worker, file_format: str) -> dict[str, Any]:
    started = client.post(EXPORTS, json={"from": "2026-01-01T00:00:00Z", "to": "2030-01-01T00:00:00Z",
                                         "format": file_format}, headers=tenant.auth)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"/v1/jobs/{started.json()['id']}"
    assert started.json()["status"] == "queued" and started.json()["kind"] == "audit.export"
    worker.drain()
    job: dict[str, Any] = client.get(started.headers["location"], headers=tenant.auth).json()
    assert job["status"] == "succeeded", job
    return job


def _stored(tenant: Tenant, job: dict[str, Any]) -> bytes:
    key = f"tenants/{tenant.id}/audit-exports/{job['id']}.{job['result']['format']}"
    s3 = boto3.client("s3", region_name=settings().region)
    body: bytes = s3.get_object(Bucket=settings().files_bucket, Key=key)["Body"].read()
    return body


def _listed(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    return list(reversed(client.get("/v1/audit-events", headers=tenant.auth).json()["data"]))


def test_a_jsonl_export_holds_the_log_oldest_first_with_its_checksum(client: TestClient, tenant_a: Tenant,
                                                                      worker: Worker) -> None:
    rename(client, tenant_a, 3)
    worker.drain()
    job = _export(client, tenant_a, worker, "jsonl")
    body = _stored(tenant_a, job)
    assert job["result"]["sha256"] == hashlib.sha256(body).hexdigest()
    exported = [json.loads(line) for line in body.decode().splitlines()]
    # The log as it stood when the job ran: signup, three renames, and the export's own start.
    assert [entry["action"] for entry in exported] == ["tenant.created", *["tenant.updated"] * 3, "job.queued"]
    assert exported == _listed(client, tenant_a)[:5]
    assert job["result"]["entries"] == 5 and job["result"]["bytes"] == len(body)
    assert job["result"]["url"].startswith("http") and job["progress"] == 1.0


def test_a_csv_export_has_a_header_and_one_row_per_entry(client: TestClient, tenant_a: Tenant,
                                                        worker: Worker) -> None:
    rename(client, tenant_a, 2)
    worker.drain()
    job = _export(client, tenant_a, worker, "csv")
    body = _stored(tenant_a, job)
    assert job["result"]["sha256"] == hashlib.sha256(body).hexdigest()
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    expected = _listed(client, tenant_a)[:len(rows)]
    assert len(rows) == 4 and [(row["id"], row["action"], row["seq"]) for row in rows] == [
        (entry["id"], entry["action"], str(entry["seq"])) for entry in expected]
    assert json.loads(rows[0]["targets"]) == expected[0]["targets"]


def test_the_download_redirects_to_a_fresh_url_once_the_export_succeeded(client: TestClient, tenant_a: Tenant,
                                                                       tenant_b: Tenant, worker: Worker) -> None:
    started = client.post(EXPORTS, json=THIS_YEAR, headers=tenant_a.auth).json()
    download = f"{EXPORTS}/{started['id']}/download"
    assert client.get(download, headers=tenant_a.auth, follow_redirects=False).status_code == 409
    worker.drain()
    response = client.get(download, headers=tenant_a.auth, follow_redirects=False)
    assert response.status_code == 303 and f"tenants/{tenant_a.id}/audit-exports/" in response.headers["location"]
    assert client.get(download, headers=tenant_b.auth, follow_redirects=False).status_code == 404
    assert client.get(f"/v1/jobs/{started['id']}", headers=tenant_b.auth).status_code == 404


def test_bad_export_requests_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    for body in ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
                 {"from": "2026-01-01T00:00:00", "to": "2026-02-01T00:00:00Z"},
                 THIS_YEAR | {"format": "xml"}, {"from": "2026-01-01T00:00:00Z"},
                 {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}):
        response = client.post(EXPORTS, json=body, headers=tenant_a.auth)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"


def test_exports_need_the_permission(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    assert client.post(EXPORTS, json=THIS_YEAR, headers=member.auth).status_code == 403
