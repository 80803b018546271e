"""Listed plugins for the tests and the bench (``atrium.kernel.testing``): a developer's listing, a version uploaded
and submitted through the API, its scan run (no worker runs here), approved by an operator through the API."""

import hashlib
from typing import Any

import boto3
from fastapi.testclient import TestClient

from atrium.kernel.config import settings
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.jobs import JobContext
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, tenant_scope
from atrium.kernel.testing import CallBudget, Fixture, Request, RequestSetup
from atrium.plugins.installs import CONTENT_TYPE
from atrium.plugins.marketplace.submissions import run_scan
from atrium.plugins.testing import COUNTER, MANIFEST

LISTING = {"name": MANIFEST["name"], "type": MANIFEST["type"], "description": "Counts what it is asked to."}


def submitted(client: TestClient, developer: dict[str, str], listing_id: str, manifest: dict[str, Any],
              body: bytes = COUNTER) -> dict[str, Any]:
    """A version uploaded and submitted through the API, its scan run: the version as its developer then reads."""
    upload = client.post(f"/v1/developer/plugins/{listing_id}/uploads", headers=developer,
                         json={"size": len(body), "sha256": hashlib.sha256(body).hexdigest()})
    assert upload.status_code == 201, upload.text
    boto3.client("s3", region_name=settings().region).put_object(
        Bucket=settings().files_bucket, Key=upload.json()["fields"]["key"], Body=body, ContentType=CONTENT_TYPE)
    version = client.post(f"/v1/developer/plugins/{listing_id}/versions", headers=developer,
                          json={"upload_id": upload.json()["upload_id"], "manifest": manifest})
    assert version.status_code == 202, version.text
    with tenant_scope(PLATFORM_TENANT_ID):
        run_scan(JobContext(tenant_id=PLATFORM_TENANT_ID, job_id="job_scan", attempt=1,
                            params={"listing_id": listing_id, "version": manifest["version"]},
                            report=lambda _fraction, _message: None))
    detail = client.get(f"/v1/developer/plugins/{listing_id}", headers=developer).json()
    found: dict[str, Any] = next(v for v in detail["versions"] if v["version"] == manifest["version"])
    return found


def listed(client: TestClient, developer: dict[str, str], operator: dict[str, str],
           manifest: dict[str, Any] = MANIFEST, body: bytes = COUNTER) -> str:
    """A listing with ``manifest``'s version approved: its id."""
    listing = client.post("/v1/developer/plugins", headers=developer,
                          json={**LISTING, "name": manifest["name"], "type": manifest["type"]})
    assert listing.status_code == 201, listing.text
    listing_id = str(listing.json()["id"])
    assert submitted(client, developer, listing_id, manifest, body)["status"] == "pending_review"
    approved = client.post(f"/v1/operator/plugin-reviews/{listing_id}/{manifest['version']}/approve",
                           headers=operator, json={"notes": "Fine."})
    assert approved.status_code == 200, approved.text
    return listing_id


def _listed(fixture: Fixture) -> str:
    return listed(fixture.client, fixture.developer_auth(), fixture.operator_auth())


def _new_listing(fixture: Fixture) -> str:
    listing = fixture.client.post("/v1/developer/plugins", headers=fixture.developer_auth(), json=LISTING)
    listing.raise_for_status()
    return str(listing.json()["id"])


def _own_listing(fixture: Fixture, spec: RouteSpec) -> Request:
    return Request(headers=fixture.developer_auth(), path=spec.path.format(listing_id=_new_listing(fixture)))


def _waiting(fixture: Fixture, spec: RouteSpec) -> Request:
    listing_id = _new_listing(fixture)
    submitted(fixture.client, fixture.developer_auth(), listing_id, MANIFEST)
    return Request(headers=fixture.operator_auth(), body={"notes": "Bench."},
                   path=spec.path.format(listing_id=listing_id, version=MANIFEST["version"]))


def _on_listed(body: dict[str, Any] | None = None) -> RequestSetup:
    def setup(fixture: Fixture, spec: RouteSpec) -> Request:
        return Request(body=body, path=spec.path.format(listing_id=_listed(fixture), version=MANIFEST["version"]))

    return setup


def _rated(fixture: Fixture, spec: RouteSpec) -> Request:
    listing_id = _listed(fixture)
    installed = fixture.client.post(f"/v1/marketplace/plugins/{listing_id}/install", json={}, headers=fixture.auth)
    installed.raise_for_status()
    return Request(body={"stars": 4, "text": "Bench."}, path=spec.path.format(listing_id=listing_id))


UPLOAD = {"size": len(COUNTER), "sha256": hashlib.sha256(COUNTER).hexdigest()}


def _submission(fixture: Fixture, spec: RouteSpec) -> Request:
    listing_id = _new_listing(fixture)
    upload = fixture.client.post(f"/v1/developer/plugins/{listing_id}/uploads", headers=fixture.developer_auth(),
                                 json=UPLOAD).json()
    return Request(headers=fixture.developer_auth(), path=spec.path.format(listing_id=listing_id),
                   body={"upload_id": upload["upload_id"], "manifest": MANIFEST})


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "marketplace.create_listing": lambda fixture, _: Request(headers=fixture.developer_auth(), body=LISTING),
    "marketplace.list_my_listings": lambda fixture, _: Request(headers=fixture.developer_auth()),
    "marketplace.get_developer_sdk": lambda fixture, _: Request(headers=fixture.developer_auth()),
    "marketplace.get_my_listing": _own_listing,
    "marketplace.request_version_upload": lambda fixture, spec: Request(
        headers=fixture.developer_auth(), path=spec.path.format(listing_id=_new_listing(fixture)), body=UPLOAD),
    "marketplace.submit_version": _submission,
    "marketplace.list_plugin_reviews": lambda fixture, _: Request(headers=fixture.operator_auth()),
    "marketplace.approve_plugin_version": _waiting,
    "marketplace.reject_plugin_version": _waiting,
    "marketplace.mark_listing": lambda fixture, spec: Request(
        headers=fixture.operator_auth(), body={"verified": True, "trusted": True, "featured": True},
        path=spec.path.format(listing_id=_listed(fixture))),
    "marketplace.get_listing": _on_listed(),
    "marketplace.download_version": _on_listed(),
    "marketplace.list_ratings": _on_listed(),
    "marketplace.install_listing": _on_listed({}),
    "marketplace.rate_listing": _rated,
}

AWS_CALL_BUDGETS = {
    "marketplace.list_my_listings": CallBudget(1, "One Query of every listing, kept if the caller's."),
    "marketplace.get_my_listing": CallBudget(2, "A GetItem of the listing and one Query of its versions."),
    "marketplace.request_version_upload": CallBudget(2, "A GetItem of the listing (the caller's?), the transaction."),
    "marketplace.submit_version": CallBudget(3,
        "A GetItem of the listing (the caller's?) and a consistent one of the pending upload, then the transaction."),
    "marketplace.approve_plugin_version": CallBudget(3,
        "Consistent GetItems of the listing and the version, then the transaction."),
    "marketplace.reject_plugin_version": CallBudget(3,
        "Consistent GetItems of the listing and the version, then the transaction."),
    "marketplace.mark_listing": CallBudget(2, "A consistent GetItem of the listing, then the transaction."),
    "marketplace.get_listing": CallBudget(2, "A GetItem of the listing and one Query of its versions."),
    "marketplace.download_version": CallBudget(2, "GetItems of the listing (listed?) and of the version."),
    "marketplace.list_ratings": CallBudget(2, "A GetItem of the listing (listed?) and one Query of its ratings."),
    "marketplace.install_listing": CallBudget(4,
        "The plan's feature check, GetItems of the listing and of the version, then the transaction."),
    "marketplace.install_listing + Idempotency-Key": CallBudget(6,
        "The reads and the transaction of install_listing, plus the idempotency record claimed and completed."),
    "marketplace.rate_listing": CallBudget(4,
        "A GetItem of the listing (listed?), a Query of the tenant's plugins (installed from it?), a consistent "
        "GetItem of the tenant's earlier rating, then the transaction."),
}
