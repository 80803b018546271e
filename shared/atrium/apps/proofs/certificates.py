"""Approval certificates: a PDF rendered by a job when a proof is approved, stored with its SHA-256."""

from typing import Any

from atrium.apps.proofs.models import ProofItem
from atrium.jobs.service import enqueue
from atrium.kernel.jobs import JobContext
from atrium.kernel.store.unit_of_work import UnitOfWork

RENDER_CERTIFICATE = "proofs.render_certificate"


def start(uow: UnitOfWork, proof: ProofItem) -> None:
    """Render the certificate of ``proof``'s current version once ``uow`` (its approval) commits."""
    enqueue(uow, kind=RENDER_CERTIFICATE, params={"proof_id": proof.id, "version": int(proof.current_version)})


def render(job: JobContext) -> dict[str, Any] | None:
    raise NotImplementedError("the certificate renderer")
