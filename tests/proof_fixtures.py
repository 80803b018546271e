"""Test proofs: a verified version added directly (object in moto S3, version item, proof's current version), as
the upload flow leaves it, for tests that need versions without uploading."""

import hashlib

import boto3

from atrium.apps.proofs import proof_store
from atrium.apps.proofs.events import PROOF_VERSION_ADDED, ProofVersionAdded
from atrium.apps.proofs.models import ProofVersionItem
from atrium.apps.proofs.presenters import proof_changed
from atrium.kernel import files
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope

FIXTURE = Ref(type="test", id="fixture")


def add_version(tenant_id: str, proof_id: str, content: bytes = b"\x89PNG test proof", filename: str = "poster.png",
                content_type: str = "image/png", uploaded_by: str = "usr_fixture") -> ProofVersionItem:
    with tenant_scope(tenant_id):
        state = proof_store.load_for_change(tenant_id, proof_id)
        proof = state.proof
        number = int(proof.current_version) + 1
        key = files.tenant_key(tenant_id, "proofs", proof_id, f"v{number}", filename)
        boto3.client("s3", region_name=settings().region).put_object(
            Bucket=settings().files_bucket, Key=key, Body=content, ContentType=content_type)
        version = ProofVersionItem(tenant_id=tenant_id, proof_id=proof_id, number=number, file_key=key,
                                   filename=filename, content_type=content_type, size=len(content),
                                   sha256=hashlib.sha256(content).hexdigest(), uploaded_by=uploaded_by)
        proof.current_version, proof.approvals = number, []
        uow = UnitOfWork(tenant_id, FIXTURE)
        uow.create(version, conflict=Conflict("the version exists"))
        data = ProofVersionAdded(**proof_changed(proof).model_dump(), sha256=version.sha256, size=len(content),
                                 content_type=content_type)
        proof_store.commit(uow, state, PROOF_VERSION_ADDED, data.model_dump())
    return version
