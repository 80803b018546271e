"""The marketplace (docs/plugins.md, "Marketplace"): a developer's version scanned, then reviewed by an operator;
only approved versions listed; tenants search, read, download and install them, and rate what they installed;
developers reach only their own listings."""

import hashlib
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from atrium.identity.developers.testing import developer_auth, verified_developer
from atrium.identity.operator.accounts import create_operator
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.testing import LISTING, listed, submitted
from atrium.plugins.testing import COUNTER, MANIFEST, run_install
from tests.api.conftest import PASSWORD, Tenant

MARKET = "/v1/marketplace/plugins"


def _developer(client: TestClient, name: str = "dev") -> dict[str, str]:
    return developer_auth(verified_developer(client, f"{name}@plugins.example"))


def operator_auth(client: TestClient, email: str) -> dict[str, str]:
    """An operator admin, created and signed in now."""
    create_operator(email, "operator_admin", PASSWORD)
    answer = client.post("/v1/operator/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _search(client: TestClient, tenant: Tenant, **query: str) -> list[str]:
    answer = client.get(MARKET, params=query, headers=tenant.auth)
    assert answer.status_code == 200, answer.text
    return [listing["id"] for listing in answer.json()["data"]]


def test_a_version_is_listed_only_once_an_operator_approves_it(client: TestClient, tenant_a: Tenant) -> None:
    developer, operator = _developer(client), operator_auth(client, "ops@platform.example")
    listing = client.post("/v1/developer/plugins", headers=developer, json=LISTING).json()
    version = submitted(client, developer, listing["id"], MANIFEST)
    assert version["status"] == "pending_review" and version["findings"] == []
    assert _search(client, tenant_a) == []
    assert client.get(f"{MARKET}/{listing['id']}", headers=tenant_a.auth).status_code == 404
    waiting = client.get("/v1/operator/plugin-reviews", headers=operator).json()["data"]
    assert [(v["listing_id"], v["version"]) for v in waiting] == [(listing["id"], "1.0.0")]
    approved = client.post(f"/v1/operator/plugin-reviews/{listing['id']}/1.0.0/approve", headers=operator,
                           json={"notes": "Read its hooks."})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert client.get("/v1/operator/plugin-reviews", headers=operator).json()["data"] == []
    assert _search(client, tenant_a) == [listing["id"]]
    assert _search(client, tenant_a, q="COUNTS what") == [listing["id"]]
    assert _search(client, tenant_a, q="invoices") == []
    assert _search(client, tenant_a, type="utility", permission="storage") == [listing["id"]]
    assert _search(client, tenant_a, permission="http") == []
    detail = client.get(f"{MARKET}/{listing['id']}", headers=tenant_a.auth).json()
    assert detail["latest_version"] == "1.0.0" and detail["permissions"] == ["storage"]
    assert detail["versions"][0]["review_notes"] == ""  # the operator's notes are for the developer
    assert [v["version"] for v in detail["versions"]] == ["1.0.0"]
    download = client.get(f"{MARKET}/{listing['id']}/versions/1.0.0/download", headers=tenant_a.auth).json()
    assert download["sha256"] == hashlib.sha256(COUNTER).hexdigest()
    assert requests.get(download["url"], timeout=10).content == COUNTER


def test_featured_and_marks_come_from_the_operators(client: TestClient, tenant_a: Tenant) -> None:
    developer, operator = _developer(client), operator_auth(client, "ops@platform.example")
    listing_id = listed(client, developer, operator)
    assert client.get(f"{MARKET}/featured", headers=tenant_a.auth).json()["data"] == []
    started = client.post(f"{MARKET}/{listing_id}/install", json={}, headers=tenant_a.auth)
    assert started.status_code == 202  # an install counted before the marks: they must not write it back
    marked = client.put(f"/v1/operator/marketplace/{listing_id}/marks", headers=operator,
                        json={"verified": True, "trusted": False, "featured": True})
    assert marked.status_code == 200 and marked.json()["verified"] is True
    featured = client.get(f"{MARKET}/featured", headers=tenant_a.auth).json()["data"]
    assert [(item["id"], item["verified"], item["trusted"], item["installs"]) for item in featured] == [
        (listing_id, True, False, 1)]
    unfeatured = client.put(f"/v1/operator/marketplace/{listing_id}/marks", headers=operator,
                            json={"verified": True, "trusted": True, "featured": False})
    assert unfeatured.json()["installs"] == 1
    assert client.get(f"{MARKET}/featured", headers=tenant_a.auth).json()["data"] == []


def test_a_failing_version_is_rejected_by_its_scan_and_a_reviewed_one_by_an_operator(client: TestClient,
                                                                                    tenant_a: Tenant) -> None:
    developer, operator = _developer(client), operator_auth(client, "ops@platform.example")
    listing = client.post("/v1/developer/plugins", headers=developer, json=LISTING).json()
    scanned = submitted(client, developer, listing["id"], {**MANIFEST, "permissions": []})
    assert scanned["status"] == "rejected"
    assert scanned["findings"] == ["imports atrium.storage_get without the permission 'storage'"]
    submitted(client, developer, listing["id"], {**MANIFEST, "version": "1.1.0"})
    rejected = client.post(f"/v1/operator/plugin-reviews/{listing['id']}/1.1.0/reject", headers=operator,
                           json={"notes": "Describe what it counts."})
    assert rejected.json()["status"] == "rejected"
    mine = client.get(f"/v1/developer/plugins/{listing['id']}", headers=developer).json()
    assert {v["version"]: v["review_notes"] for v in mine["versions"]}["1.1.0"] == "Describe what it counts."
    assert client.post(f"/v1/operator/plugin-reviews/{listing['id']}/1.1.0/approve", headers=operator,
                       json={}).status_code == 409
    assert _search(client, tenant_a) == []
    assert client.get(f"{MARKET}/{listing['id']}/versions/1.1.0/download", headers=tenant_a.auth).status_code == 404


def test_a_tenant_installs_a_listed_plugin_runs_it_and_rates_it(client: TestClient, tenant_a: Tenant,
                                                                 tenant_b: Tenant) -> None:
    listing_id = listed(client, _developer(client), operator_auth(client, "ops@platform.example"))
    assert client.put(f"{MARKET}/{listing_id}/rating", json={"stars": 5}, headers=tenant_a.auth).status_code == 409
    started = client.post(f"{MARKET}/{listing_id}/install", json={}, headers=tenant_a.auth)
    assert started.status_code == 202, started.text
    run_install(tenant_a.id, started.json())
    plugin = client.get(started.headers["location"], headers=tenant_a.auth).json()
    assert plugin["status"] == "installed" and plugin["permissions"] == ["storage"]
    ran = client.post("/v1/plugins/hooks/count", json={"payload": {"key": "k"}}, headers=tenant_a.auth).json()
    assert ran["results"][0]["outcome"] == "ok"
    rated = client.put(f"{MARKET}/{listing_id}/rating", json={"stars": 4, "text": "Does what it says."},
                       headers=tenant_a.auth)
    assert rated.status_code == 200, rated.text
    client.put(f"{MARKET}/{listing_id}/rating", json={"stars": 2, "text": "Changed my mind."}, headers=tenant_a.auth)
    detail = client.get(f"{MARKET}/{listing_id}", headers=tenant_b.auth).json()
    assert (detail["installs"], detail["ratings"], detail["rating"]) == (1, 1, 2.0)
    reviews = client.get(f"{MARKET}/{listing_id}/ratings", headers=tenant_b.auth).json()["data"]
    assert [(r["stars"], r["text"]) for r in reviews] == [(2, "Changed my mind.")]
    assert tenant_a.id not in str(reviews)
    assert client.put(f"{MARKET}/{listing_id}/rating", json={"stars": 1}, headers=tenant_b.auth).status_code == 409
    assert client.get("/v1/plugins", headers=tenant_b.auth).json()["data"] == []
    failed = client.post("/v1/plugins/hooks/count", json={"payload": {"key": 5}}, headers=tenant_a.auth).json()
    assert failed["results"][0]["outcome"] != "ok"  # its store refused the key: the answer is no JSON
    assert client.delete(f"/v1/plugins/{plugin['id']}", headers=tenant_a.auth).status_code == 204
    after = client.get(f"{MARKET}/{listing_id}", headers=tenant_b.auth).json()
    assert (after["installs"], after["active_installs"], after["errors"]) == (1, 0, 1)


def test_a_developer_reaches_only_their_own_listings(client: TestClient) -> None:
    owner, other = _developer(client, "owner"), _developer(client, "other")
    listing = client.post("/v1/developer/plugins", headers=owner, json=LISTING).json()
    path = f"/v1/developer/plugins/{listing['id']}"
    assert client.get(path, headers=other).status_code == 404
    assert client.post(f"{path}/uploads", headers=other, json={"size": 10, "sha256": "0" * 64}).status_code == 404
    body: dict[str, Any] = {"upload_id": "upl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "manifest": MANIFEST}
    assert client.post(f"{path}/versions", headers=other, json=body).status_code == 404
    assert client.get("/v1/developer/plugins", headers=other).json()["data"] == []
    assert [item["id"] for item in client.get("/v1/developer/plugins", headers=owner).json()["data"]] == [
        listing["id"]]
    renamed = client.post(f"{path}/versions", headers=owner, json={**body, "manifest": {**MANIFEST, "name": "Other"}})
    assert renamed.status_code == 422


def test_marks_read_before_an_install_do_not_write_its_count_back(client: TestClient, tenant_a: Tenant,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    operator = operator_auth(client, "ops@platform.example")
    listing_id = listed(client, _developer(client), operator)
    stale = store.listing(listing_id, consistent=True)  # what an operator's request read, before the install
    assert client.post(f"{MARKET}/{listing_id}/install", json={}, headers=tenant_a.auth).status_code == 202
    monkeypatch.setattr(store, "listing", lambda *_args, **_kwargs: stale)
    client.put(f"/v1/operator/marketplace/{listing_id}/marks", headers=operator,
               json={"verified": True, "trusted": True, "featured": True}).raise_for_status()
    monkeypatch.undo()
    assert client.get(f"{MARKET}/{listing_id}", headers=tenant_a.auth).json()["installs"] == 1
