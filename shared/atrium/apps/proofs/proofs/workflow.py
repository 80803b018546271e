"""The review workflow: ``draft → in_review → changes_requested → in_review → approved | rejected``.

A reviewer's decision names the version it is about; approvals count for the current version only (a new
version empties them, ``versions``). The proof is approved once every required reviewer has approved it.
Decisions are conditional writes on the proof's version: two reviewers deciding at once both read the proof, one
transaction wins, the other reads again and decides on the proof as it now stands (so neither decision is lost
and the approval happens once).
"""

from typing import Literal

from atrium.apps.proofs.events import (
    PROOF_APPROVED,
    PROOF_CHANGES_REQUESTED,
    PROOF_REJECTED,
    PROOF_REVIEWER_APPROVED,
    PROOF_SUBMITTED,
    ProofDecided,
)
from atrium.apps.proofs.plugin_hooks import BEFORE_SUBMIT
from atrium.apps.proofs.proofs import certificates
from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.models import DecisionItem, ProofItem
from atrium.apps.proofs.proofs.presenters import decision_out, proof_changed, proof_out
from atrium.apps.proofs.proofs.schemas import DecisionIn, DecisionList, ProofOut, ProofStatus
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, Forbidden, PreconditionFailed
from atrium.kernel.events.catalog import EventType
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of
from atrium.plugins.api import check_hook

Decision = Literal["approved", "changes_requested", "rejected"]
SUBMITTABLE = {ProofStatus.DRAFT, ProofStatus.CHANGES_REQUESTED}
ATTEMPTS = 5  # reads and tries of a decision that loses a race to another one


def _illegal(proof: ProofItem, action: str) -> Conflict:
    return Conflict(f"a proof that is {proof.status} cannot be {action}")


def submit(principal: Principal, proof_id: str, info: RequestInfo) -> ProofOut:
    state = proof_store.load_for_change(principal.tenant_id, proof_id)
    proof = state.proof
    if ProofStatus(proof.status) not in SUBMITTABLE:
        raise _illegal(proof, "submitted")
    if not proof.current_version:
        raise Conflict("upload a version before submitting the proof for review")
    if not any(r.required for r in proof.reviewers):
        raise Conflict("assign at least one required reviewer before submitting the proof for review")
    check_hook(BEFORE_SUBMIT, principal.tenant_id, {**proof_changed(proof).model_dump(), "submitted_by": principal.id})
    proof.status = ProofStatus.IN_REVIEW.value
    proof_store.commit(UnitOfWork(principal.tenant_id, actor_of(principal), info), state, PROOF_SUBMITTED,
                       proof_changed(proof).model_dump())
    return proof_out(proof)


def decide(principal: Principal, proof_id: str, decision: Decision, body: DecisionIn, info: RequestInfo) -> ProofOut:
    for _ in range(ATTEMPTS):
        state = proof_store.load_for_change(principal.tenant_id, proof_id)
        proof = state.proof
        _check_decision(principal, proof, body)
        recorded = DecisionItem(tenant_id=proof.tenant_id, proof_id=proof.id, id=ids.new_id("dec"),
                                version_number=body.version, reviewer_id=principal.id,
                                reviewer_email=principal.name or "", decision=decision, note=body.note,
                                ip=info.ip)
        event = _apply(proof, principal.id, decision)
        uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
        uow.create(recorded, conflict=Conflict("id collision; retry"))
        if event is PROOF_APPROVED:
            certificates.start(uow, proof)
        data = ProofDecided(**proof_changed(proof).model_dump(), reviewer_id=principal.id, decision=decision,
                            version=body.version)
        try:
            proof_store.commit(uow, state, event, data.model_dump(),
                               metadata={"note": body.note} if body.note else None)
        except PreconditionFailed:
            continue  # another decision (or change) landed first: decide on the proof as it now stands
        return proof_out(proof)
    raise Conflict("the proof kept changing while the decision was recorded; retry")


def _check_decision(principal: Principal, proof: ProofItem, body: DecisionIn) -> None:
    if ProofStatus(proof.status) != ProofStatus.IN_REVIEW:
        raise Conflict(f"a proof that is {proof.status} is not in review")
    if principal.id not in {r.user_id for r in proof.reviewers}:
        raise Forbidden("only the proof's reviewers decide on it")
    if body.version != proof.current_version:
        raise Conflict(f"version {body.version} is not the current version ({int(proof.current_version)})")
    if principal.id in proof.approvals:
        raise Conflict("you already approved this version")


def _apply(proof: ProofItem, reviewer_id: str, decision: Decision) -> EventType:
    """Change ``proof`` by the decision; the event that says what happened."""
    if decision == "rejected":
        proof.status = ProofStatus.REJECTED.value
        return PROOF_REJECTED
    if decision == "changes_requested":
        proof.status = ProofStatus.CHANGES_REQUESTED.value
        proof.approvals = []
        return PROOF_CHANGES_REQUESTED
    proof.approvals = [*proof.approvals, reviewer_id]
    required = {r.user_id for r in proof.reviewers if r.required}
    if required <= set(proof.approvals):
        proof.status = ProofStatus.APPROVED.value
        return PROOF_APPROVED
    return PROOF_REVIEWER_APPROVED


def list_decisions(principal: Principal, proof_id: str) -> DecisionList:
    state = proof_store.load_for_change(principal.tenant_id, proof_id)
    return DecisionList(data=[decision_out(d) for d in state.decisions])
