"""What a deleted proof leaves behind: its versions, decisions, pending uploads, certificates, comments and their
files. Deleting a proof removes it and its list entries in one transaction, so every reader stops finding it at
once (the routes under it read the proof first); this consumer then removes the rest. A redelivered event
finds less, or nothing, to remove."""

from atrium.apps.proofs.comments.models import ProofCommentItem, thread_pk
from atrium.apps.proofs.proofs.models import PROOF, ProofCertificateItem, ProofItem, ProofUploadItem, ProofVersionItem
from atrium.kernel import files
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.observability import logger
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

HOLDS_A_FILE = (ProofVersionItem, ProofUploadItem, ProofCertificateItem)


def purge_deleted_proof(event: Envelope) -> None:
    tenant_id, proof_id = event.tenant_id, event.subject.id
    left: list[Item] = list(Item.query(keys.entity_pk(tenant_id, PROOF, proof_id), consistent_read=True))
    if any(isinstance(item, ProofItem) for item in left):
        logger.warning("a deleted proof exists again; nothing purged", extra={"proof_id": proof_id})
        return
    left += [c for c in ProofCommentItem.gsi1.query(thread_pk(tenant_id, proof_id)) if isinstance(c, ProofCommentItem)]
    # Files first: were the items deleted first and the files' deletion failed, nothing would name them any more.
    files.delete([item.file_key for item in left if isinstance(item, HOLDS_A_FILE)])
    with Item.batch_write() as batch:
        for item in left:
            batch.delete(item)
    logger.info("deleted proof purged", extra={"proof_id": proof_id, "items": len(left)})
