"""The developer's side: listings, and versions submitted for review. A version's bundle is uploaded as a tenant's
is, under the platform's files; a job (in the platform's scope) checks it as an install does, then it waits for
an operator's review (``pending_review``) or is ``rejected`` with the findings. Every change is audited in the
platform's log."""

from typing import Any

from atrium.jobs.api import enqueue
from atrium.kernel import files, ids
from atrium.kernel.errors import Conflict, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.grants import Grant
from atrium.kernel.jobs import JobContext, JobKind
from atrium.kernel.store import keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, Principal, tenant_scope
from atrium.plugins.events import MANAGE_PERMISSION
from atrium.plugins.installs import MODULE_TAG, check_bundle, check_hooks, new_upload, pending_upload
from atrium.plugins.marketplace import store
from atrium.plugins.marketplace.models import (
    LISTINGS,
    PENDING_REVIEW,
    REJECTED,
    SCANNING,
    ListingItem,
    ListingVersionItem,
    version_key,
)
from atrium.plugins.marketplace.presenters import manifest_of
from atrium.plugins.marketplace.schemas import ListingCreate, VersionSubmit
from atrium.plugins.runtime.abi import Limits
from atrium.plugins.schemas import UploadCreate, UploadOut


def _uow(principal: Principal, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(PLATFORM_TENANT_ID, Ref(type="developer", id=principal.id, name=principal.name), info)


def own_listing(principal: Principal, listing_id: str, *, consistent: bool = False) -> ListingItem:
    """The caller's listing; another developer's is as absent as an unknown one."""
    found = store.listing(listing_id, consistent=consistent)
    if found.developer_id != principal.id:
        raise NotFound(f"plugin {listing_id} not found among yours")
    return found


def create_listing(principal: Principal, body: ListingCreate, info: RequestInfo) -> ListingItem:
    listing = ListingItem(natural_key=ids.new_id("lst"), developer_id=principal.id,
                          developer_name=principal.name or principal.id, name=body.name, type=body.type,
                          description=body.description)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(principal, info)
        uow.create(listing, conflict=Conflict("id collision; retry"))
        uow.record("marketplace.listing_created", subject=Ref(type="plugin_listing", id=listing.id),
                   data={"name": body.name}, emit=False)
        uow.commit()
    return listing


def own_listings(principal: Principal) -> list[ListingItem]:
    """The developer's listings, by name (a Query of every listing, filtered: fine while the marketplace is small)."""
    found = ListingItem.gsi1.query(keys.global_collection_pk(LISTINGS), limit=1000)
    return [item for item in found if isinstance(item, ListingItem) and item.developer_id == principal.id]


def request_upload(principal: Principal, listing_id: str, body: UploadCreate, info: RequestInfo) -> UploadOut:
    own_listing(principal, listing_id)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(principal, info)
        form = new_upload(uow, principal.id, body)
        uow.commit()
    return form


def submit(principal: Principal, listing_id: str, body: VersionSubmit, info: RequestInfo) -> ListingVersionItem:
    listing, manifest = own_listing(principal, listing_id), body.manifest
    if (manifest.name, manifest.type) != (listing.name, listing.type):
        raise Unprocessable("a version's manifest keeps its listing's name and type", errors=[{
            "field": "body.manifest.name", "message": f"the listing is {listing.name!r}, a {listing.type}",
            "code": "not_the_listing"}])
    check_hooks(manifest.hooks)
    with tenant_scope(PLATFORM_TENANT_ID):
        upload = pending_upload(PLATFORM_TENANT_ID, body.upload_id)
        if upload.requested_by != principal.id:
            raise Unprocessable("no pending upload of yours has this id", errors=[{
                "field": "body.upload_id", "message": "unknown", "code": "unknown_upload"}])
        uow = _uow(principal, info)
        version = ListingVersionItem(natural_key=version_key(listing.id, manifest.version), listing_id=listing.id,
                                     number=manifest.version, manifest_json=manifest.model_dump_json(),
                                     upload_key=upload.file_key, sha256=upload.sha256, size=upload.size, job_id="")
        version.job_id = enqueue(uow, kind=SCAN_SUBMISSION, params={"listing_id": listing.id,
                                                                    "version": manifest.version}).id
        uow.create(version, conflict=Conflict(f"version {manifest.version} was submitted already"))
        uow.discard(upload)
        uow.record("marketplace.version_submitted", subject=Ref(type="plugin_listing", id=listing.id),
                   data={"version": manifest.version, "permissions": manifest.permissions}, emit=False)
        uow.commit()
    return version


def run_scan(job: JobContext) -> dict[str, Any]:
    version = store.version(job.params["listing_id"], job.params["version"], consistent=True)
    if version.status != SCANNING:
        return {"status": version.status}
    manifest = manifest_of(version)
    findings, _ = check_bundle(version.upload_key, size=int(version.size), sha256=version.sha256,
                               permissions=list(manifest.permissions), hooks=list(manifest.hooks),
                               memory_bytes=Limits.from_json(manifest.limits_json()).memory_bytes)
    if findings:
        version.status, version.findings = REJECTED, findings
    else:
        version.module_key = files.tenant_key(PLATFORM_TENANT_ID, "marketplace", version.listing_id,
                                              f"{version.sha256}.wasm")
        files.copy(version.upload_key, version.module_key, tags=MODULE_TAG)
        version.status = PENDING_REVIEW
    uow = UnitOfWork(PLATFORM_TENANT_ID, Ref(type="job", id=job.job_id))
    uow.save(version)
    uow.record("marketplace.version_scanned", subject=Ref(type="plugin_listing", id=version.listing_id),
               data={"version": version.number, "status": version.status, "findings": findings}, emit=False)
    uow.commit()
    return {"status": version.status, "findings": findings}


SCAN_SUBMISSION = JobKind(
    name="plugins.scan_submission",
    run=run_scan,
    description="Check a plugin version a developer submitted to the marketplace, as an install checks a bundle; it "
                "then waits for an operator's review, or is rejected with the findings.",
    permission=MANAGE_PERMISSION,
    grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE, Grant.FILES_READ, Grant.FILES_WRITE}),
    timeout_seconds=300,
    layers=frozenset({"plugins"}),
)
