"""Proofs: create, read, list, change and delete. Reviewers and the owner must be active members of the tenant
(``members.lookup``); every change is one unit of work (``proof_store.commit``)."""

from collections.abc import Iterable

from atrium.apps.proofs.events import PROOF_CREATED, PROOF_DELETED, PROOF_UPDATED, ProofDeleted
from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.models import ProofItem, Reviewer
from atrium.apps.proofs.proofs.presenters import proof_changed, proof_out
from atrium.apps.proofs.proofs.schemas import ProofCreate, ProofOut, ProofStatus, ProofUpdate, ReviewerIn
from atrium.apps.proofs.proofs.store import ProofState
from atrium.billing.api import Limit, require_metered_room
from atrium.identity.api import active_members
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, PreconditionFailed, Unprocessable
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

# Reviewers may change until a decision is made; afterwards they are the record of who decided.
REVIEWERS_FIXED_IN = {ProofStatus.APPROVED, ProofStatus.REJECTED}


def check_members(tenant_id: str, user_ids: Iterable[tuple[str, str]]) -> None:
    """Each (field, user id) must name an active member of the tenant, or the request is a 422."""
    wanted = list(user_ids)
    members = active_members(tenant_id, {user_id for _, user_id in wanted})
    errors = [{"field": name, "message": f"{user_id} is not an active member of this tenant", "code": "not_member"}
              for name, user_id in wanted if user_id not in members]
    if errors:
        raise Unprocessable("a user named is not a member of this tenant", errors=errors)


def _reviewers(reviewers: list[ReviewerIn]) -> list[Reviewer]:
    seen = [r.user_id for r in reviewers]
    if len(set(seen)) != len(seen):
        raise Unprocessable("a reviewer is named twice", errors=[
            {"field": "body.reviewers", "message": "name each reviewer once", "code": "duplicate"}])
    return [Reviewer(user_id=r.user_id, required=r.required) for r in reviewers]  # type: ignore[no-untyped-call]


def _people(owner_id: str | None, reviewers: list[ReviewerIn] | None) -> list[tuple[str, str]]:
    named = [] if owner_id is None else [("body.owner_id", owner_id)]
    return named + [(f"body.reviewers[{i}].user_id", r.user_id) for i, r in enumerate(reviewers or [])]


def new_proof(principal: Principal, body: ProofCreate) -> ProofItem:
    """A draft from ``body``, its people checked, not yet written."""
    owner_id = body.owner_id or principal.id
    reviewers = _reviewers(body.reviewers)
    check_members(principal.tenant_id, _people(owner_id, body.reviewers))
    return ProofItem(tenant_id=principal.tenant_id, id=ids.new_id("prf"), title=body.title,
                     description=body.description, due_date=body.due_date.isoformat() if body.due_date else None,
                     tags=list(dict.fromkeys(body.tags)), owner_id=owner_id, status=ProofStatus.DRAFT.value,
                     reviewers=reviewers)


def create_proof(principal: Principal, body: ProofCreate, info: RequestInfo,
                 proof: ProofItem | None = None) -> tuple[ProofOut, int]:
    """Write a new draft (``proof`` when the caller built it, as from a template); 402 once the plan's proofs of
    the month are made."""
    require_metered_room(principal.tenant_id, Limit.PROOFS_PER_MONTH)
    proof = proof or new_proof(principal, body)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    proof_store.commit(uow, ProofState(proof), PROOF_CREATED, proof_changed(proof).model_dump(), new=True)
    return proof_out(proof), proof.version or 0


def get_proof(principal: Principal, proof_id: str) -> tuple[ProofOut, int]:
    proof = proof_store.load(principal.tenant_id, proof_id)
    return proof_out(proof), proof.version or 0


def load_at(tenant_id: str, proof_id: str, expected_version: int) -> ProofState:
    state = proof_store.load_for_change(tenant_id, proof_id)
    if state.proof.version != expected_version:
        raise PreconditionFailed("the proof has changed since you read it; read it again")
    return state


def update_proof(principal: Principal, proof_id: str, change: ProofUpdate, expected_version: int,
                 info: RequestInfo) -> tuple[ProofOut, int]:
    if change.owner_id is not None or change.reviewers is not None:
        check_members(principal.tenant_id, _people(change.owner_id, change.reviewers))
    state = load_at(principal.tenant_id, proof_id, expected_version)
    proof = state.proof
    if change.title is not None:
        proof.title = change.title
    if change.description is not None:
        proof.description = change.description
    if "due_date" in change.model_fields_set:
        proof.due_date = change.due_date.isoformat() if change.due_date else None
    if change.tags is not None:
        proof.tags = list(dict.fromkeys(change.tags))
    if change.owner_id is not None:
        proof.owner_id = change.owner_id
    if change.reviewers is not None:
        if ProofStatus(proof.status) in REVIEWERS_FIXED_IN:
            raise Conflict(f"the reviewers of a proof that is {proof.status} cannot change")
        proof.reviewers = _reviewers(change.reviewers)
        kept = {r.user_id for r in proof.reviewers}
        proof.approvals = [user_id for user_id in proof.approvals if user_id in kept]
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    proof_store.commit(uow, state, PROOF_UPDATED, proof_changed(proof).model_dump())
    return proof_out(proof), proof.version or 0


def delete_proof(principal: Principal, proof_id: str, info: RequestInfo) -> None:
    state = proof_store.load_for_change(principal.tenant_id, proof_id)
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    data = ProofDeleted(**proof_changed(state.proof).model_dump(), stored_bytes=int(state.proof.stored_bytes or 0))
    proof_store.commit(uow, state, PROOF_DELETED, data.model_dump(), delete=True)
