"""A person's data exported and erased (docs/compliance.md): the export holds every declared personal field of the
subject across contexts; an erasure due after its grace period leaves none of their values readable (the table read
raw and decrypted, the audit log through the API, files and exports) while the audit chain still verifies; an
erasure canceled within its grace changes nothing."""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import count
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from atrium import manifest
from atrium.apps.proofs.proofs.certificates import RENDER_CERTIFICATE
from atrium.audit import chaining
from atrium.compliance.privacy import traces
from atrium.compliance.privacy.erasures import carry_out_erasure
from atrium.compliance.privacy.models import ErasureItem
from atrium.compliance.privacy.testing import run_job
from atrium.identity.access_state import forget_cached_access
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.personal_data import PersonalRecord, Subject, personal_values
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member
from tests.support.proofs import upload_version

_numbers = count(1)


@dataclass(frozen=True)
class Person:
    """A member who commented on a proof and whose email is a customer's billing contact."""

    member: Member
    customer_id: str
    site_id: str
    values: tuple[str, ...]  # what identifies them, as written


def _created(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _person(client: TestClient, tenant: Tenant) -> Person:
    n = next(_numbers)
    member = add_member(tenant.id, "admin", email=f"dana{n}@harbour.example")
    proof = _created(client, tenant.auth, "/v1/proofs", {"title": "Spring poster",
                                                         "reviewers": [{"user_id": member.user_id}]})
    comment, note = f"Call me on my mobile, Dana {n}", f"Dana {n} wants the blue one"
    _created(client, member.auth, f"/v1/proofs/{proof['id']}/comments", {"body": comment})
    upload_version(client, tenant, proof["id"])
    assert client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant.auth).status_code == 200
    decided = client.post(f"/v1/proofs/{proof['id']}/request-changes", json={"version": 1, "note": note},
                          headers=member.auth)
    assert decided.status_code == 200, decided.text
    customer = _created(client, tenant.auth, "/v1/fieldwork/customers", {
        "name": f"Reyes Bakery {n}", "notes": f"Dana's gate code {n}",
        "billing_contact": {"name": f"Dana Reyes {n}", "email": member.email.upper()},
        "service_address": {"line1": f"{n} Reyes Lane", "city": "Springfield", "region": "OR", "postal_code": "97477"}})
    site = _created(client, tenant.auth, f"/v1/fieldwork/customers/{customer['id']}/sites", {
        "name": "Main shop", "address": {"line1": f"{n} Bakery Row", "city": "Springfield", "region": "OR",
                                         "postal_code": "97477"}, "access_notes": f"Ask for Dana {n}"})
    with tenant_scope(tenant.id):
        chaining.chain_pending(tenant.id)
    return Person(member, customer["id"], site["id"], (member.email, comment, note, f"Reyes Bakery {n}",
                                                       f"Dana Reyes {n}", f"{n} Reyes Lane", f"{n} Bakery Row",
                                                       f"Dana's gate code {n}", f"Ask for Dana {n}"))


def _export(client: TestClient, tenant: Tenant, subject: str) -> tuple[dict[str, Any], zipfile.ZipFile]:
    response = client.post("/v1/privacy/exports", json={"subject": subject}, headers=tenant.auth)
    assert response.status_code == 202, response.text
    run_job(tenant.id, response.json())
    job = client.get(response.headers["Location"], headers=tenant.auth).json()
    assert job["status"] == "succeeded", job
    download = client.get(f"/v1/privacy/exports/{job['id']}/download", headers=tenant.auth, follow_redirects=False)
    assert download.status_code == 303
    body = boto3.client("s3", region_name=settings().region).get_object(
        Bucket=settings().files_bucket, Key=f"tenants/{tenant.id}/privacy-exports/{job['id']}.zip")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == job["result"]["sha256"]
    return job, zipfile.ZipFile(io.BytesIO(body))


def _files_under(prefix: str) -> list[bytes]:
    s3 = boto3.client("s3", region_name=settings().region)
    listed = s3.list_objects_v2(Bucket=settings().files_bucket, Prefix=prefix).get("Contents", [])
    return [s3.get_object(Bucket=settings().files_bucket, Key=found["Key"])["Body"].read() for found in listed]


def _tenant_items(tenant_id: str) -> list[Item]:
    """Every item of the tenant, read raw (a Scan of the local table) and decrypted as the product reads it."""
    dynamodb = boto3.client("dynamodb", region_name=settings().region)
    pages = dynamodb.get_paginator("scan").paginate(TableName=settings().table_name,
                                                    FilterExpression="begins_with(pk, :tenant)",
                                                    ExpressionAttributeValues={":tenant": {"S": f"T#{tenant_id}#"}})
    raw = [item for page in pages for item in page["Items"]]
    with tenant_scope(tenant_id):
        return [Item.from_raw_data(item) for item in raw]


def _erase(client: TestClient, tenant: Tenant, subject: str) -> dict[str, Any]:
    response = client.post("/v1/privacy/erasures", json={"subject": subject}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    erasure: dict[str, Any] = response.json()
    assert erasure["status"] == "pending" and response.headers["Location"].endswith(erasure["id"])
    return erasure


def _carry_out(tenant: Tenant, erasure: dict[str, Any], *, days: int = 7) -> str:
    with clock.frozen(clock.now() + timedelta(days=days, minutes=1)), tenant_scope(tenant.id):
        return carry_out_erasure(tenant.id, erasure["id"])


def _run_queued(client: TestClient, tenant: Tenant, kind: str) -> int:
    """Run the tenant's queued jobs of ``kind``; how many."""
    queued = [job for job in client.get("/v1/jobs", params={"limit": 100}, headers=tenant.auth).json()["data"]
              if job["kind"] == kind and job["status"] == "queued"]
    for job in queued:
        run_job(tenant.id, job)
    return len(queued)


def _approved_certificate(client: TestClient, tenant: Tenant, person: Person) -> str:
    """A proof the person approved as its reviewer, its certificate rendered: the text of the PDF."""
    proof = _created(client, tenant.auth, "/v1/proofs", {"title": "Summer flyer",
                                                         "reviewers": [{"user_id": person.member.user_id}]})
    upload_version(client, tenant, proof["id"])
    assert client.post(f"/v1/proofs/{proof['id']}/submit", headers=tenant.auth).status_code == 200
    assert client.post(f"/v1/proofs/{proof['id']}/approve", json={"version": 1, "note": person.values[2]},
                       headers=person.member.auth).status_code == 200
    assert _run_queued(client, tenant, RENDER_CERTIFICATE.name) == 1
    return _certificates_text(tenant)


def _certificates_text(tenant: Tenant) -> str:
    s3 = boto3.client("s3", region_name=settings().region)
    listed = s3.list_objects_v2(Bucket=settings().files_bucket, Prefix=f"tenants/{tenant.id}/proofs/")["Contents"]
    pdfs = [s3.get_object(Bucket=settings().files_bucket, Key=found["Key"])["Body"].read() for found in listed
            if "/certificate-v" in found["Key"]]
    assert pdfs
    return "\n".join(page.extract_text() for pdf in pdfs for page in PdfReader(io.BytesIO(pdf)).pages)


def _audit_log(client: TestClient, tenant: Tenant) -> str:
    return str(client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).text)


def test_the_export_holds_every_declared_personal_field_of_the_subject(client: TestClient, tenant_a: Tenant) -> None:
    person = _person(client, tenant_a)
    job, archive = _export(client, tenant_a, person.member.user_id)

    documents = {name: json.loads(archive.read(name)) for name in archive.namelist()}
    assert set(documents) == {"subject.json", "identity.json", "audit.json", "privacy.json", "proofs.comments.json",
                              "proofs.decisions.json", "fieldwork.json"}
    assert documents["subject.json"]["email"] == person.member.email
    everything = json.dumps(documents)
    assert all(value in everything for value in person.values), [v for v in person.values if v not in everything]
    records = {record["id"]: record["data"] for document in documents.values()
               for record in document.get("records", [])}
    # (The export's job shares its id with the export's own record; audit entries are exported opened, below.)
    held = {str(getattr(item, "id", "")): item for item in _tenant_items(tenant_a.id) if personal_values(item)
            and getattr(item, "id", None) in records and item.type_name() not in ("Job", "Audit")}
    assert {type(item).type_name() for item in held.values()} == {"Customer", "Site", "ProofComment", "ProofDecision",
                                                         "PrivacyExport", "Membership"}
    for item_id, item in held.items():  # each record holds every personal attribute its model declares
        assert set(personal_values(item)) <= set(records[item_id]), item
    audit = documents["audit.json"]["records"]
    assert any(entry["data"]["actor"]["name"] == person.member.email for entry in audit)
    assert any(target["id"] == person.customer_id and target["name"] == person.values[3]
               for entry in audit for target in entry["data"]["targets"])
    assert job["result"]["records"]["fieldwork"] == 2  # the customer and its site


def test_an_erasure_leaves_nothing_of_the_subject_readable_and_the_audit_chain_verifying(
        client: TestClient, tenant_a: Tenant) -> None:
    person = _person(client, tenant_a)
    certificate = _approved_certificate(client, tenant_a, person)
    assert person.member.email in certificate and person.values[2] in certificate
    with tenant_scope(tenant_a.id):
        chaining.chain_pending(tenant_a.id)
    export, _ = _export(client, tenant_a, person.member.email)
    assert person.member.email in _audit_log(client, tenant_a)
    stored = [item for item in _tenant_items(tenant_a.id) if type(item).type_name() == "Audit"]
    assert not [item for item in stored if person.member.email in json.dumps(item.attribute_values, default=str)]

    audit_export = client.post("/v1/audit/exports", json={
        "from": clock.iso(clock.now() - timedelta(days=1)), "to": clock.iso(clock.now())}, headers=tenant_a.auth)
    assert audit_export.status_code == 202, audit_export.text
    run_job(tenant_a.id, audit_export.json())
    assert person.member.email.encode() in b"".join(_files_under(f"tenants/{tenant_a.id}/audit-exports/"))

    erasure = _erase(client, tenant_a, person.member.email.upper())
    assert _carry_out(tenant_a, erasure, days=6) == "pending"  # not yet due
    assert _carry_out(tenant_a, erasure) == "completed"

    done = client.get(f"/v1/privacy/erasures/{erasure['id']}", headers=tenant_a.auth).json()
    assert done["status"] == "completed" and done["subject"]["email"] is None
    # Audit: the keys of the member and of the customer they are the contact of, and the audit export withdrawn.
    assert done["erased"]["identity"] >= 2 and done["erased"]["fieldwork"] == 2 and done["erased"]["audit"] == 3 + 1
    assert _files_under(f"tenants/{tenant_a.id}/audit-exports/") == []
    assert _run_queued(client, tenant_a, RENDER_CERTIFICATE.name) == 1  # the certificate reissued
    certificate = _certificates_text(tenant_a)
    assert "Summer flyer" in certificate and not [value for value in person.values if value in certificate]
    with tenant_scope(tenant_a.id):
        chaining.chain_pending(tenant_a.id)
    readable = [json.dumps(item.attribute_values, default=str) for item in _tenant_items(tenant_a.id)
                if type(item).type_name() != "Outbox"]  # event envelopes: docs/compliance.md
    assert not [value for value in person.values for text in readable if value in text]
    assert not [value for value in person.values if value in _audit_log(client, tenant_a)]
    s3 = boto3.client("s3", region_name=settings().region)
    assert "Contents" not in s3.list_objects_v2(Bucket=settings().files_bucket,
                                                Prefix=f"tenants/{tenant_a.id}/privacy-exports/{export['id']}")
    verified = client.get("/v1/audit/verify", headers=tenant_a.auth).json()
    assert verified["intact"] and verified["entries_verified"] > 10, verified
    customer = client.get(f"/v1/fieldwork/customers/{person.customer_id}", headers=tenant_a.auth)
    assert customer.status_code == 200 and customer.json()["name"] == "[erased]"
    forget_cached_access()  # the authorizer's cache of live access (60 s at most)
    assert client.get("/v1/me", headers=person.member.auth).status_code == 401  # their sessions ended


def test_an_erasure_canceled_within_its_grace_changes_nothing(client: TestClient, tenant_a: Tenant) -> None:
    person = _person(client, tenant_a)
    before = sorted(json.dumps(item.attribute_values, default=str) for item in _tenant_items(tenant_a.id)
                    if type(item).type_name() in ("Customer", "Site", "Membership", "ProofComment"))
    erasure = _erase(client, tenant_a, person.member.user_id)
    canceled = client.post(f"/v1/privacy/erasures/{erasure['id']}/cancel", headers=tenant_a.auth)
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    assert client.post(f"/v1/privacy/erasures/{erasure['id']}/cancel", headers=tenant_a.auth).status_code == 409

    assert _carry_out(tenant_a, erasure) == "canceled"
    after = sorted(json.dumps(item.attribute_values, default=str) for item in _tenant_items(tenant_a.id)
                   if type(item).type_name() in ("Customer", "Site", "Membership", "ProofComment"))
    assert after == before
    assert person.member.email in _audit_log(client, tenant_a)


def test_refusals(client: TestClient, tenant_a: Tenant) -> None:
    for subject in ("nobody", "usr_123", "a@b"):
        response = client.post("/v1/privacy/erasures", json={"subject": subject}, headers=tenant_a.auth)
        assert response.status_code == 422, (subject, response.text)
    viewer = add_member(tenant_a.id, "viewer")
    assert client.post("/v1/privacy/exports", json={"subject": viewer.email}, headers=viewer.auth).status_code == 403
    mine = client.post("/v1/me/export", headers=viewer.auth)
    assert mine.status_code == 202, mine.text
    path = f"/v1/privacy/exports/{mine.json()['id']}/download"
    assert client.get(path, headers=viewer.auth, follow_redirects=False).status_code == 409  # not run yet
    other = add_member(tenant_a.id, "member")
    assert client.get(path, headers=other.auth, follow_redirects=False).status_code == 404  # not theirs


def _restored(client: TestClient, tenant: Tenant, backup_id: str, body: dict[str, Any]) -> dict[str, Any]:
    started = client.post(f"/v1/backups/{backup_id}/restore", json=body, headers=tenant.auth)
    assert started.status_code == 202, started.text
    run_job(tenant.id, started.json())
    result: dict[str, Any] = client.get(started.headers["location"], headers=tenant.auth).json()["result"]
    assert result["verified"] is True, result
    return result


def _readable(tenant_id: str) -> str:
    return "\n".join(json.dumps(item.attribute_values, default=str) for item in _tenant_items(tenant_id)
                     if type(item).type_name() not in ("Outbox", "PrivacyErasure"))


def test_a_restore_of_a_backup_taken_before_an_erasure_replays_it(client: TestClient, tenant_a: Tenant) -> None:
    person = _person(client, tenant_a)
    export, _ = _export(client, tenant_a, person.member.email)
    backup = client.post("/v1/backups", json={}, headers=tenant_a.auth).json()
    run_job(tenant_a.id, {"id": backup["job_id"], "kind": "compliance.backup", "created_by": tenant_a.user_id})
    assert [value for value in person.values if value in _readable(tenant_a.id)]  # the backup holds them
    assert _carry_out(tenant_a, _erase(client, tenant_a, person.member.email)) == "completed"

    rolled_back = _restored(client, tenant_a, backup["id"], {"target": "same_tenant_point_in_time",
                                                              "confirm": backup["id"]})
    replayed = rolled_back["erasures_replayed"]
    assert replayed["erasures"] == 1 and replayed["files"] == 1  # the export's archive is not copied back
    assert replayed["items"]["Customer"] == 1 and replayed["items"]["ProofComment"] == 1
    assert not [value for value in person.values if value in _readable(tenant_a.id)]
    assert _files_under(f"tenants/{tenant_a.id}/privacy-exports/{export['id']}") == []
    customer = client.get(f"/v1/fieldwork/customers/{person.customer_id}", headers=tenant_a.auth).json()
    assert customer["name"] == "[erased]"  # the record is back, as the erasure left it
    erasures = [item for item in _tenant_items(tenant_a.id) if isinstance(item, ErasureItem)]
    assert [item.status for item in erasures] == ["completed"]  # a rollback does not undo an erasure

    copy = _restored(client, tenant_a, backup["id"], {"target": "new_tenant"})
    assert copy["erasures_replayed"]["erasures"] == 1
    assert "Dana" not in _readable(copy["tenant_id"]) and len(_tenant_items(copy["tenant_id"])) > 10


def test_the_tenants_erasures_are_listed_newest_first_to_it_only(client: TestClient, tenant_a: Tenant,
                                                                  tenant_b: Tenant) -> None:
    done = _erase(client, tenant_a, "kai@harbour.example")
    assert _carry_out(tenant_a, done) == "completed"
    pending = _erase(client, tenant_a, "lee@harbour.example")
    first = client.get("/v1/privacy/erasures", params={"limit": 1}, headers=tenant_a.auth).json()
    assert [(e["id"], e["subject"]["email"]) for e in first["data"]] == [(pending["id"], "lee@harbour.example")]
    rest = client.get("/v1/privacy/erasures", params={"cursor": first["next_cursor"]}, headers=tenant_a.auth).json()
    assert [(e["id"], e["status"], e["subject"]["email"]) for e in rest["data"]] == [(done["id"], "completed", None)]
    assert client.get("/v1/privacy/erasures", headers=tenant_b.auth).json()["data"] == []
    assert client.get("/v1/privacy/erasures", params={"cursor": first["next_cursor"]},
                      headers=tenant_b.auth).status_code == 400  # a cursor is bound to its tenant
    assert client.get("/v1/privacy/erasures", headers=add_member(tenant_a.id, "member").auth).status_code == 403


def test_a_retried_erasure_keeps_what_its_failed_attempt_erased(client: TestClient, tenant_a: Tenant,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    person = _person(client, tenant_a)
    erasure = _erase(client, tenant_a, person.member.email)  # found by email: through the membership
    providers, attempts = manifest.personal_data_providers(), count(1)
    assert providers[0].name == "identity"

    def lost_connection_once(tenant_id: str, subject: Subject, records: list[PersonalRecord]) -> int:
        erased = providers[0].erase(tenant_id, subject, records)
        if next(attempts) == 1:
            raise ConnectionError("the table did not answer after the membership was deleted")
        return erased

    monkeypatch.setattr(manifest, "personal_data_providers",
                        lambda: [replace(providers[0], erase=lost_connection_once), *providers[1:]])
    with pytest.raises(ConnectionError):
        _carry_out(tenant_a, erasure)  # the queue retries it
    assert _carry_out(tenant_a, erasure) == "completed"
    # The retry found the person by the user id the first attempt kept: their membership was gone.
    readable = "\n".join(json.dumps(item.attribute_values, default=str) for item in _tenant_items(tenant_a.id)
                         if type(item).type_name() not in ("Outbox", "Audit"))
    assert not [value for value in person.values if value in readable]
    with tenant_scope(tenant_a.id):
        trace = traces.read(tenant_a.id, erasure["id"])
    assert trace is not None  # both attempts' changes: the membership (the first's), comment and customer (the retry's)
    assert {key.split("#")[2] for key in trace.items} >= {"Membership", "ProofComment", "Customer"}
