"""Proofs in a given state without going through uploads: a version written straight into the table."""

from atrium.apps.proofs.models import ProofItem, ProofVersionItem
from atrium.kernel.tenancy import tenant_scope


def add_version(tenant_id: str, proof_id: str, uploaded_by: str) -> int:
    """Write the proof's next version (a placeholder file) and make it current; its number."""
    with tenant_scope(tenant_id):
        proof = ProofItem.load(tenant_id, proof_id, consistent=True)
        proof.current_version = number = int(proof.current_version) + 1
        ProofVersionItem(tenant_id=tenant_id, proof_id=proof_id, number=number,
                         file_key=f"tenants/{tenant_id}/proofs/{proof_id}/v{number}", filename="poster.png",
                         content_type="image/png", size=1, sha256="0" * 64, uploaded_by=uploaded_by).save()
        proof.save()
    return number
