"""Proofs over the API: create, read, change, delete, validation, and the filtered lists."""

from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs.purge import purge_deleted_proof
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.tenancy import tenant_scope
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.proofs import upload_version

PATH = "/v1/proofs"


def _create(client: TestClient, tenant: Tenant, **body: Any) -> Any:
    response = client.post(PATH, json={"title": "Poster", **body}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    return response.json()


def _ids(client: TestClient, tenant: Tenant, query: str = "") -> list[str]:
    response = client.get(f"{PATH}{query}", headers=tenant.auth)
    assert response.status_code == 200, response.text
    return [proof["id"] for proof in response.json()["data"]]


def _audited(client: TestClient, tenant: Tenant) -> list[str]:
    return [entry["action"] for entry in client.get("/v1/audit-events", headers=tenant.auth).json()["data"]]


def test_create_read_update_delete(client: TestClient, tenant_a: Tenant) -> None:
    reviewer = add_member(tenant_a.id, "member")
    response = client.post(PATH, json={"title": " Spring poster ", "description": "A2", "due_date": "2026-12-15",
                                       "tags": ["Print", "print", "spring"],
                                       "reviewers": [{"user_id": reviewer.user_id}]}, headers=tenant_a.auth)
    assert response.status_code == 201, response.text
    proof = response.json()
    assert response.headers["location"] == f"{PATH}/{proof['id']}" and response.headers["etag"] == '"1"'
    assert proof["title"] == "Spring poster" and proof["tags"] == ["print", "spring"]
    assert proof["owner_id"] == tenant_a.user_id and proof["status"] == "draft" and proof["current_version"] is None
    assert proof["reviewers"] == [{"user_id": reviewer.user_id, "required": True, "approved_current_version": False}]
    read = client.get(f"{PATH}/{proof['id']}", headers=tenant_a.auth)
    assert read.json() == proof and read.headers["etag"] == '"1"'

    stale = client.patch(f"{PATH}/{proof['id']}", json={"title": "X"}, headers=tenant_a.auth | {"If-Match": '"7"'})
    assert stale.status_code == 412
    changed = client.patch(f"{PATH}/{proof['id']}", json={"title": "Summer poster", "due_date": None, "tags": []},
                           headers=tenant_a.auth | {"If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Summer poster" and changed.json()["due_date"] is None
    assert changed.headers["etag"] == '"2"' and changed.json()["description"] == "A2"

    assert client.delete(f"{PATH}/{proof['id']}", headers=tenant_a.auth).status_code == 204
    assert client.get(f"{PATH}/{proof['id']}", headers=tenant_a.auth).status_code == 404
    assert _ids(client, tenant_a) == [] and _ids(client, tenant_a, "?tag=print") == []
    assert {"proof.created", "proof.updated", "proof.deleted"} <= set(_audited(client, tenant_a))


def test_create_honours_the_idempotency_key(client: TestClient, tenant_a: Tenant) -> None:
    headers = tenant_a.auth | {"Idempotency-Key": "proof-1"}
    first = client.post(PATH, json={"title": "Once"}, headers=headers)
    again = client.post(PATH, json={"title": "Once"}, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert _ids(client, tenant_a) == [first.json()["id"]]


@pytest.mark.parametrize("body", [
    {},
    {"title": ""},
    {"title": "x" * 201},
    {"title": "T", "tags": ["has space"]},
    {"title": "T", "tags": ["a#b"]},
    {"title": "T", "tags": [f"t{i}" for i in range(11)]},
    {"title": "T", "due_date": "tomorrow"},
    {"title": "T", "reviewers": [{"user_id": "bob"}]},
    {"title": "T", "reviewers": [{"user_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "required": "yes"}]},
    {"title": "T", "status": "approved"},
])
def test_bad_bodies_are_422_and_create_nothing(client: TestClient, tenant_a: Tenant, body: dict[str, Any]) -> None:
    response = client.post(PATH, json=body, headers=tenant_a.auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert _ids(client, tenant_a) == []


def test_owner_and_reviewers_must_be_active_members_named_once(client: TestClient, tenant_a: Tenant,
                                                              tenant_b: Tenant) -> None:
    outsider = tenant_b.user_id
    response = client.post(PATH, json={"title": "T", "owner_id": outsider, "reviewers": [{"user_id": outsider}]},
                           headers=tenant_a.auth)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.owner_id", "body.reviewers[0].user_id"]
    twice = [{"user_id": tenant_a.user_id}, {"user_id": tenant_a.user_id, "required": False}]
    assert client.post(PATH, json={"title": "T", "reviewers": twice}, headers=tenant_a.auth).status_code == 422
    assert _ids(client, tenant_a) == []


def test_lists_filter_by_status_owner_reviewer_tag_and_due_dates(client: TestClient, tenant_a: Tenant) -> None:
    other = add_member(tenant_a.id, "member")
    early = _create(client, tenant_a, due_date="2026-12-01", tags=["print"])
    late = _create(client, tenant_a, due_date="2026-12-20", tags=["web", "print"],
                   reviewers=[{"user_id": other.user_id}])
    undated = _create(client, tenant_a, owner_id=other.user_id)
    assert _ids(client, tenant_a) == [early["id"], late["id"], undated["id"]]  # by due date, none last
    assert _ids(client, tenant_a, "?tag=print") == [early["id"], late["id"]]
    assert _ids(client, tenant_a, "?tag=web") == [late["id"]]
    assert _ids(client, tenant_a, f"?owner={other.user_id}") == [undated["id"]]
    assert _ids(client, tenant_a, f"?reviewer={other.user_id}") == [late["id"]]
    assert _ids(client, tenant_a, "?status=draft") == [early["id"], late["id"], undated["id"]]
    assert _ids(client, tenant_a, "?status=approved") == []
    assert _ids(client, tenant_a, "?due_before=2026-12-01") == [early["id"]]  # inclusive
    assert _ids(client, tenant_a, "?due_after=2026-12-02") == [late["id"]]  # an undated proof is not "after"
    assert _ids(client, tenant_a, "?tag=print&due_after=2026-12-01&due_before=2026-12-19") == [early["id"]]

    client.patch(f"{PATH}/{late['id']}", json={"tags": ["web"], "reviewers": []},
                 headers=tenant_a.auth | {"If-Match": '"1"'}).raise_for_status()
    assert _ids(client, tenant_a, "?tag=print") == [early["id"]]
    assert _ids(client, tenant_a, f"?reviewer={other.user_id}") == []
    listed = client.get(f"{PATH}?tag=web", headers=tenant_a.auth).json()["data"][0]
    assert listed["tags"] == ["web"] and listed["reviewers"] == []  # the list shows the proof as it now stands


def test_lists_page_with_cursors_bound_to_their_filter(client: TestClient, tenant_a: Tenant) -> None:
    made = [_create(client, tenant_a, due_date=f"2026-12-{day:02d}", tags=["a"])["id"] for day in range(1, 6)]
    seen, cursor = [], None
    while True:
        page = client.get(f"{PATH}?tag=a&limit=2" + (f"&cursor={cursor}" if cursor else ""),
                          headers=tenant_a.auth).json()
        seen += [proof["id"] for proof in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == made
    first = client.get(f"{PATH}?tag=a&limit=2", headers=tenant_a.auth).json()
    other_filter = client.get(f"{PATH}?status=draft&cursor={first['next_cursor']}", headers=tenant_a.auth)
    assert other_filter.status_code == 400


@pytest.mark.parametrize("query", ["?status=draft&tag=a", "?status=nope", "?reviewer=bob", "?tag=a%23b",
                                   "?due_before=soon", "?owner=usr_x&tag=b"])
def test_bad_filters_are_4xx(client: TestClient, tenant_a: Tenant, query: str) -> None:
    response = client.get(f"{PATH}{query}", headers=tenant_a.auth)
    assert response.status_code == 422, response.text


def test_viewers_read_members_create_and_only_admins_delete(client: TestClient, tenant_a: Tenant) -> None:
    viewer, member = add_member(tenant_a.id, "viewer"), add_member(tenant_a.id, "member")
    assert client.post(PATH, json={"title": "T"}, headers=viewer.auth).status_code == 403
    proof = client.post(PATH, json={"title": "T"}, headers=member.auth).json()
    assert proof["owner_id"] == member.user_id
    assert client.get(f"{PATH}/{proof['id']}", headers=viewer.auth).status_code == 200
    assert client.delete(f"{PATH}/{proof['id']}", headers=member.auth).status_code == 403
    assert client.delete(f"{PATH}/{proof['id']}", headers=tenant_a.auth).status_code == 204


def test_another_tenant_cannot_see_or_change_a_proof(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    proof = _create(client, tenant_a, tags=["secret"], reviewers=[{"user_id": tenant_a.user_id}])
    url = f"{PATH}/{proof['id']}"
    assert client.get(url, headers=tenant_b.auth).status_code == 404
    assert client.patch(url, json={"title": "Mine"}, headers=tenant_b.auth | {"If-Match": '"1"'}).status_code == 404
    assert client.delete(url, headers=tenant_b.auth).status_code == 404
    assert client.post(f"{url}/submit", headers=tenant_b.auth).status_code == 404
    for action in ("approve", "request-changes", "reject"):
        assert client.post(f"{url}/{action}", json={"version": 1}, headers=tenant_b.auth).status_code == 404
    assert client.get(f"{url}/decisions", headers=tenant_b.auth).status_code == 404
    assert _ids(client, tenant_b) == [] and _ids(client, tenant_b, "?tag=secret") == []
    assert _ids(client, tenant_b, f"?reviewer={tenant_a.user_id}") == []
    assert client.get(url, headers=tenant_a.auth).json() == proof


def test_a_deleted_proofs_versions_decisions_comments_and_files_are_purged(
        client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    proof = _create(client, tenant_a, reviewers=[{"user_id": tenant_a.user_id}])
    url = f"{PATH}/{proof['id']}"
    upload_version(client, tenant_a, proof["id"])
    assert client.post(f"{url}/submit", headers=tenant_a.auth).status_code == 200
    assert client.post(f"{url}/approve", json={"version": 1}, headers=tenant_a.auth).status_code == 200
    assert client.post(f"{url}/comments", json={"body": "Done"}, headers=tenant_a.auth).status_code == 201
    worker.drain()  # the certificate is rendered
    assert client.get(f"{url}/certificate", headers=tenant_a.auth).status_code == 200
    other = _create(client, tenant_a, title="Kept")
    upload_version(client, tenant_a, other["id"])
    before = _remains(tenant_a.id, other["id"])
    assert len(before["items"]) >= 4 and before["files"]

    assert client.delete(url, headers=tenant_a.auth).status_code == 204
    assert _remains(tenant_a.id, proof["id"])["items"]  # the transaction removes the proof and its entries only
    worker.drain()
    assert _remains(tenant_a.id, proof["id"]) == {"items": [], "files": []}
    assert _remains(tenant_a.id, other["id"]) == before  # another proof keeps everything
    with tenant_scope(tenant_a.id):  # a redelivery finds nothing left and fails on nothing
        purge_deleted_proof(Envelope(id="evt_x", type="proof.deleted", tenant_id=tenant_a.id, occurred_at=clock.now(),
                                     actor=Ref(type="test", id="t"), subject=Ref(type="proof", id=proof["id"]),
                                     data={}))


def _remains(tenant_id: str, proof_id: str) -> dict[str, list[str]]:
    """Every item whose keys name the proof, and every file under its prefix."""
    table = boto3.client("dynamodb", region_name=settings().region)
    marker = f"T#{tenant_id}#Proof#{proof_id}"
    items = [item["entity"]["S"] for page in table.get_paginator("scan").paginate(TableName=settings().table_name)
             for item in page["Items"]
             if item["pk"]["S"] == marker or proof_id in item.get("gsi1pk", {}).get("S", "")]
    listed = boto3.client("s3", region_name=settings().region).list_objects_v2(
        Bucket=settings().files_bucket, Prefix=f"tenants/{tenant_id}/proofs/{proof_id}/")
    return {"items": sorted(items), "files": sorted(o["Key"] for o in listed.get("Contents", []))}
