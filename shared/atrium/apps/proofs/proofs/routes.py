"""Proofs routes: proofs, their review workflow and decisions, versions and uploads, the approval certificate."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import Path, Query, Response
from fastapi.responses import RedirectResponse

from atrium.apps.proofs.proofs.listing import ProofFilter
from atrium.apps.proofs.proofs.schemas import (
    CertificateOut,
    DecisionIn,
    DecisionList,
    ProofCreate,
    ProofList,
    ProofOut,
    ProofStatus,
    ProofUpdate,
    Tag,
    UploadCreate,
    UploadOut,
    UserId,
    VersionCreate,
    VersionList,
    VersionOut,
)
from atrium.apps.proofs.routing import NOT_FOUND, NOT_MEMBER, PROOF_PATH, PROOFS_PATH
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.proofs.proofs import certificates, listing, uploads, versions, workflow
    from atrium.apps.proofs.proofs import service as proofs
else:
    certificates, listing, proofs, uploads, versions, workflow = lazy_modules(
        "atrium.apps.proofs.proofs", "certificates", "listing", "service", "uploads", "versions", "workflow")

router = ContextRouter("proofs")
_ILLEGAL = {409: {"description": "The proof's status does not allow this"}}


@router.post(PROOFS_PATH, name="create_proof", permission="proofs:create", status_code=201, idempotent=True,
             grants=WRITE, responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER}, **NOT_MEMBER})
def create_proof(body: ProofCreate, principal: CurrentPrincipal, info: CurrentRequest,
                 response: Response) -> ProofOut:
    """A draft proof. Upload its first version, then submit it for review."""
    proof, version = proofs.create_proof(principal, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof.id}"
    response.headers["ETag"] = etag(version)
    return proof


@router.get(PROOFS_PATH, name="list_proofs", permission="proofs:read", grants={*READ, Grant.CURSOR_KEY_READ},
            responses={422: {"description": "More than one of status, reviewer, owner and tag"}})
def list_proofs(principal: CurrentPrincipal, paging: Paging,
                status: Annotated[ProofStatus | None, Query()] = None,
                reviewer: Annotated[UserId | None, Query(description="A reviewer's user id")] = None,
                owner: Annotated[UserId | None, Query(description="The owner's user id")] = None,
                tag: Annotated[Tag | None, Query()] = None,
                due_after: Annotated[dt.date | None, Query(description="Due on or after (YYYY-MM-DD)")] = None,
                due_before: Annotated[dt.date | None, Query(description="Due on or before (YYYY-MM-DD)")] = None,
                ) -> ProofList:
    """The tenant's proofs by due date (none last), filtered by one of status, reviewer, owner and tag, and
    optionally a due-date range."""
    where = ProofFilter(status=status, reviewer=reviewer, owner=owner, tag=tag, due_after=due_after,
                        due_before=due_before)
    return listing.list_proofs(principal, where, limit=paging.limit, cursor=paging.cursor)


@router.get(PROOF_PATH, name="get_proof", permission="proofs:read", grants=READ,
            responses={200: {"headers": ETAG_HEADER}, **NOT_FOUND})
def get_proof(proof_id: str, principal: CurrentPrincipal, response: Response) -> ProofOut:
    """A proof. The ETag header is the version to send in If-Match."""
    proof, version = proofs.get_proof(principal, proof_id)
    response.headers["ETag"] = etag(version)
    return proof


@router.patch(PROOF_PATH, name="update_proof", permission="proofs:update", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **NOT_FOUND, **NOT_MEMBER,
                         409: {"description": "Reviewers of a decided proof cannot change"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"}})
def update_proof(proof_id: str, body: ProofUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                 info: CurrentRequest, response: Response) -> ProofOut:
    """Change a proof's title, description, due date, tags, owner or reviewers. Requires If-Match."""
    proof, new_version = proofs.update_proof(principal, proof_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return proof


@router.delete(PROOF_PATH, name="delete_proof", permission="proofs:delete", status_code=204, grants=WRITE,
               responses=NOT_FOUND)
def delete_proof(proof_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    proofs.delete_proof(principal, proof_id, info)


@router.post(f"{PROOF_PATH}/submit", name="submit_proof", permission="proofs:submit",
             grants={*WRITE, Grant.RUNNERS_INVOKE},
             responses={**NOT_FOUND, 409: {"description": "Not a draft or changes_requested; no version uploaded; "
                                                          "no required reviewer; a plugin refused it "
                                                          "(`proof.before_submit`)"}})
def submit_proof(proof_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Send a draft (or a proof with changes requested) to its reviewers."""
    return workflow.submit(principal, proof_id, info)


_DECISION = {**NOT_FOUND, 403: {"description": "The caller is not one of the proof's reviewers"},
             409: {"description": "The proof is not in review, the version is not the current one, or the caller "
                                  "already approved it"}}


@router.post(f"{PROOF_PATH}/approve", name="approve_proof", permission="proofs:review", grants=WRITE,
             responses=_DECISION)
def approve_proof(proof_id: str, body: DecisionIn, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Approve the current version. Once every required reviewer has, the proof is approved and its approval
    certificate is rendered (a job)."""
    return workflow.decide(principal, proof_id, "approved", body, info)


@router.post(f"{PROOF_PATH}/request-changes", name="request_proof_changes", permission="proofs:review",
             grants=WRITE, responses=_DECISION)
def request_proof_changes(proof_id: str, body: DecisionIn, principal: CurrentPrincipal,
                          info: CurrentRequest) -> ProofOut:
    """Send the proof back to its owner; approvals so far are void."""
    return workflow.decide(principal, proof_id, "changes_requested", body, info)


@router.post(f"{PROOF_PATH}/reject", name="reject_proof", permission="proofs:review", grants=WRITE,
             responses=_DECISION)
def reject_proof(proof_id: str, body: DecisionIn, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Reject the proof (final)."""
    return workflow.decide(principal, proof_id, "rejected", body, info)


@router.get(f"{PROOF_PATH}/decisions", name="list_proof_decisions", permission="proofs:read", grants=READ,
            responses=NOT_FOUND)
def list_proof_decisions(proof_id: str, principal: CurrentPrincipal) -> DecisionList:
    """Every decision on the proof, oldest first, with the version it was about."""
    return workflow.list_decisions(principal, proof_id)


# Uploads and versions

_TAKES_NO_VERSIONS = {409: {"description": "The proof is approved or rejected"}}
VersionNumber = Annotated[str, Path(description="The version's number (1, 2, ...)")]


@router.post(f"{PROOF_PATH}/uploads", name="request_proof_upload", permission="proofs:update", status_code=201,
             idempotent=True, grants={*WRITE, Grant.FILES_WRITE},
             responses={**NOT_FOUND, **_TAKES_NO_VERSIONS,
                        402: {"description": "The file would take the tenant past its plan's storage_bytes"},
                        422: {"description": "A content type not accepted, or a size over 200 MB"}})
def request_proof_upload(proof_id: str, body: UploadCreate, principal: CurrentPrincipal,
                         info: CurrentRequest) -> UploadOut:
    """A presigned form to upload the proof's next file straight to S3 (exactly `size` bytes of `content_type`,
    within the hour), then record it as a version with `POST .../versions` within a day."""
    return uploads.request_upload(principal, proof_id, body, info)


@router.post(f"{PROOF_PATH}/versions", name="add_proof_version", permission="proofs:update", status_code=201,
             idempotent=True, grants={*WRITE, Grant.FILES_READ},
             responses={201: {"headers": LOCATION_HEADER}, **NOT_FOUND, **_TAKES_NO_VERSIONS,
                        422: {"description": "An unknown or expired upload; no file uploaded; its size, type or "
                                             "SHA-256 differs from what was declared"}})
def add_proof_version(proof_id: str, body: VersionCreate, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> VersionOut:
    """Record an uploaded file, once verified, as the proof's next version. Approvals so far are void: reviewers
    decide on the new version."""
    version = versions.record_version(principal, proof_id, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof_id}/versions/{version.version}"
    return version


@router.get(f"{PROOF_PATH}/versions", name="list_proof_versions", permission="proofs:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=NOT_FOUND)
def list_proof_versions(proof_id: str, principal: CurrentPrincipal, paging: Paging) -> VersionList:
    """The proof's versions, newest first."""
    return versions.list_versions(principal, proof_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{PROOF_PATH}/versions/{{version}}", name="get_proof_version", permission="proofs:read", grants=READ,
            responses=NOT_FOUND)
def get_proof_version(proof_id: str, version: VersionNumber, principal: CurrentPrincipal) -> VersionOut:
    return versions.get_version(principal, proof_id, version)


@router.get(f"{PROOF_PATH}/versions/{{version}}/download", name="download_proof_version", permission="proofs:read",
            status_code=303, grants={*READ, Grant.FILES_READ},
            responses={303: {"description": "A presigned URL of the file, in Location"}, **NOT_FOUND})
def download_proof_version(proof_id: str, version: VersionNumber, principal: CurrentPrincipal) -> RedirectResponse:
    """Redirect to the version's file (a presigned URL that works for an hour)."""
    return RedirectResponse(versions.download_url(principal, proof_id, version), status_code=303)


# Approval certificate

@router.get(f"{PROOF_PATH}/certificate", name="get_proof_certificate", permission="proofs:read",
            grants={*READ, Grant.FILES_READ},
            responses={404: {"description": "Not found in the caller's tenant, or the current version has no "
                                            "certificate yet (it is issued by a job once the proof is approved)"}})
def get_proof_certificate(proof_id: str, principal: CurrentPrincipal) -> CertificateOut:
    """The approval certificate (PDF) of the proof's current version: its SHA-256 and a fresh download URL."""
    return certificates.get_certificate(principal.tenant_id, proof_id)

