"""Versions: every verified upload is a new version of its proof; reviewers decide on a version, so a new one
empties the approvals (the review starts again on it).

Recording a version trusts nothing the client said about the file: the stored object must exist and have the
declared size and content type and the SHA-256 the client computed (a presigned POST's policy bounds what S3
accepts, but local S3 does not enforce it and a hash is not part of it)."""

import re

from atrium.apps.proofs.events import PROOF_VERSION_ADDED, ProofVersionAdded
from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs import uploads
from atrium.apps.proofs.proofs.models import PROOF, ProofItem, ProofUploadItem, ProofVersionItem
from atrium.apps.proofs.proofs.presenters import proof_changed, version_out
from atrium.apps.proofs.proofs.schemas import VersionCreate, VersionList, VersionOut
from atrium.kernel import files, ids
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

_VERSION_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")  # version_key holds six digits


def record_version(principal: Principal, proof_id: str, body: VersionCreate, info: RequestInfo) -> VersionOut:
    state = proof_store.load_for_change(principal.tenant_id, proof_id)
    proof = state.proof
    uploads.check_takes_versions(proof)
    pending = uploads.pending_upload(principal.tenant_id, proof.id, body.upload_id)
    _verify(pending, body.sha256)
    version = ProofVersionItem(tenant_id=proof.tenant_id, proof_id=proof.id, number=int(proof.current_version) + 1,
                               file_key=pending.file_key, filename=pending.filename,
                               content_type=pending.content_type, size=pending.size, sha256=body.sha256,
                               uploaded_by=principal.id)
    proof.current_version = version.number
    proof.stored_bytes = int(proof.stored_bytes or 0) + int(pending.size)
    proof.approvals = []
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.create(version, conflict=Conflict("another version was recorded at the same time; retry"))
    uow.delete(pending)
    data = ProofVersionAdded(**proof_changed(proof).model_dump(), sha256=body.sha256, size=int(pending.size),
                             content_type=pending.content_type)
    try:
        proof_store.commit(uow, state, PROOF_VERSION_ADDED, data.model_dump())
    except PreconditionFailed as error:  # no If-Match was sent: a race, not a stale read of the caller's
        raise Conflict("the proof or the upload changed while the version was recorded; retry") from error
    return version_out(version)


def _verify(pending: ProofUploadItem, sha256: str) -> None:
    stored = files.stored_object(pending.file_key)
    if stored is None:
        raise _unverified("upload_id", "no file was uploaded for this upload (or S3 refused it)", "file_missing")
    if stored.size != pending.size:
        raise _unverified("upload_id", f"the file has {stored.size} bytes; {int(pending.size)} were declared",
                          "size_mismatch")
    if stored.content_type != pending.content_type:
        raise _unverified("upload_id", f"the file was stored as {stored.content_type!r}; "
                                       f"{pending.content_type!r} was declared", "content_type_mismatch")
    if stored.sha256 != sha256:
        raise _unverified("sha256", "the stored file's SHA-256 is different: it was corrupted or replaced",
                          "sha256_mismatch")


def _unverified(field: str, message: str, code: str) -> Unprocessable:
    return Unprocessable("the uploaded file does not match what was declared; upload it again and retry",
                         errors=[{"field": f"body.{field}", "message": message, "code": code}])


def list_versions(principal: Principal, proof_id: str, *, limit: int, cursor: str | None) -> VersionList:
    """Newest first: one Query of the proof's partition (after a read of the proof: 404 for another tenant's)."""
    proof = proof_store.load(principal.tenant_id, proof_id)
    prefix = f"{ProofVersionItem.type_name()}#"
    page = fetch_page(lambda start: ProofVersionItem.query(proof.pk, ProofVersionItem.sk.startswith(prefix),
                                                           scan_index_forward=False, limit=limit, page_size=limit,
                                                           last_evaluated_key=start),
                      cursor=cursor, tenant_id=principal.tenant_id, query=f"proof-versions:{proof.id}")
    return VersionList(data=[version_out(v) for v in page.items if isinstance(v, ProofVersionItem)],
                       next_cursor=page.next_cursor)


def load_version(tenant_id: str, proof_id: str, number: str) -> ProofVersionItem:
    """The version and its proof in one BatchGetItem: a version of a deleted proof is not found either."""
    if not ids.is_valid_id(proof_id, "prf"):
        raise proof_store.not_found(proof_id)
    if not _VERSION_NUMBER.match(number):
        raise NotFound(f"version {number} of proof {proof_id} not found")
    wanted = [(keys.entity_pk(tenant_id, PROOF, proof_id), keys.ENTITY_SK),
              ProofVersionItem.key_of(tenant_id, proof_id, number=int(number))]
    found = list(Item.batch_get(wanted))
    if not any(isinstance(item, ProofItem) for item in found):
        raise proof_store.not_found(proof_id)
    version = next((item for item in found if isinstance(item, ProofVersionItem)), None)
    if version is None:
        raise NotFound(f"version {number} of proof {proof_id} not found")
    return version


def get_version(principal: Principal, proof_id: str, number: str) -> VersionOut:
    return version_out(load_version(principal.tenant_id, proof_id, number))


def download_url(principal: Principal, proof_id: str, number: str) -> str:
    version = load_version(principal.tenant_id, proof_id, number)
    return files.download_url(version.file_key, filename=version.filename)
