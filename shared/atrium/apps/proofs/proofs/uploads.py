"""Uploads: a proof's next file goes straight to S3 with a presigned POST (``kernel.files``); the API keeps what
the client declared as a pending upload until the file is verified and recorded as a version (``versions``)."""

import re
import unicodedata

from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.models import ProofItem, ProofUploadItem
from atrium.apps.proofs.proofs.schemas import ProofStatus, UploadCreate, UploadOut
from atrium.billing.api import Limit, require_metered_room
from atrium.kernel import clock, files, ids
from atrium.kernel.errors import Conflict, Unprocessable
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

UPLOAD_REQUESTED = "proof.upload_requested"  # audited, not an event: nothing has changed yet
UPLOAD_URL_SECONDS = 3600  # time to send the file
PENDING_SECONDS = 24 * 3600  # time to record it as a version
MAX_FILENAME = 200
# A decided proof is final: it takes no new versions.
TAKES_VERSIONS = {ProofStatus.DRAFT, ProofStatus.IN_REVIEW, ProofStatus.CHANGES_REQUESTED}


def check_takes_versions(proof: ProofItem) -> None:
    if ProofStatus(proof.status) not in TAKES_VERSIONS:
        raise Conflict(f"a proof that is {proof.status} takes no new versions")


def safe_filename(name: str) -> str:
    """The name's last path part in ASCII letters, digits, ``._-`` and spaces (it goes into a Content-Disposition
    header): accents are dropped, anything else becomes ``_``."""
    base = re.split(r"[\\/]", name)[-1]
    plain = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", plain).strip(" .")[:MAX_FILENAME] or "file"


def request_upload(principal: Principal, proof_id: str, body: UploadCreate, info: RequestInfo) -> UploadOut:
    proof = proof_store.load(principal.tenant_id, proof_id)
    check_takes_versions(proof)
    # Before the form is handed out: S3 takes whatever the form allows.
    require_metered_room(principal.tenant_id, Limit.STORAGE_BYTES, requested=body.size)
    upload_id = ids.new_id("upl")
    pending = ProofUploadItem(
        tenant_id=principal.tenant_id, proof_id=proof.id, id=upload_id,
        file_key=files.tenant_key(principal.tenant_id, "proofs", proof.id, upload_id),
        filename=safe_filename(body.filename), content_type=body.content_type.value, size=body.size,
        requested_by=principal.id, expires_at=expires_in(PENDING_SECONDS))
    form = files.presigned_upload(pending.file_key, content_type=pending.content_type, size=body.size,
                                  expires_seconds=UPLOAD_URL_SECONDS)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.create(pending, conflict=Conflict("id collision; retry"))
    uow.record(UPLOAD_REQUESTED, subject=proof_store.subject(proof), emit=False, data={
        "upload_id": upload_id, "filename": pending.filename, "content_type": pending.content_type,
        "size": body.size})
    uow.commit()
    return UploadOut(upload_id=upload_id, url=form.url, fields=form.fields, expires_at=clock.iso(form.expires_at))


def pending_upload(tenant_id: str, proof_id: str, upload_id: str) -> ProofUploadItem:
    """The proof's pending upload, or a 422 on ``upload_id``: unknown, recorded already, or expired (the TTL
    deletes late, so expiry is checked here)."""
    if ids.is_valid_id(upload_id, "upl"):
        found = ProofUploadItem.find(tenant_id, proof_id, id=upload_id)
        if found is not None and (found.expires_at is None or found.expires_at > clock.now()):
            return found
    raise Unprocessable("no pending upload of this proof has this id", errors=[{
        "field": "body.upload_id", "message": "unknown, already recorded or expired: request a new upload",
        "code": "unknown_upload"}])
