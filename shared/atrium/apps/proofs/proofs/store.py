"""Reading a proof for a change and writing the change: the proof, its list-index entries, the audit entry and the
event, in one transaction.

The list indexes are projections (``ProofIndexItem``): every change rewrites the entries the proof now belongs
in and deletes the ones it left. A change reads the proof with its entries in one consistent Query of the proof's
partition (the entries sort between the proof and its versions), so each entry is saved at the version it was
read at and a concurrent change fails the whole transaction.
"""

from dataclasses import dataclass, field
from typing import Any

from atrium.apps.proofs.proofs.models import PROOF, DecisionItem, ProofIndexItem, ProofItem
from atrium.apps.proofs.proofs.presenters import proof_out
from atrium.kernel import ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.catalog import EventType
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.projections import rewrite_projections
from atrium.kernel.store.unit_of_work import UnitOfWork

# The proof ("#") sorts before its decisions and index entries, which sort before its versions (its certificates,
# between the proof and its decisions, are read too and left out of the state).
_CHANGE_RANGE = (keys.ENTITY_SK, "ProofIndex$")


@dataclass
class ProofState:
    """A proof as a change reads it: the item and the index entries it is listed under, by their sort key."""

    proof: ProofItem
    entries: dict[str, ProofIndexItem] = field(default_factory=dict)
    decisions: list[DecisionItem] = field(default_factory=list)


def not_found(proof_id: str) -> NotFound:
    return NotFound(f"proof {proof_id} not found")


def load(tenant_id: str, proof_id: str, *, consistent: bool = False) -> ProofItem:
    if not ids.is_valid_id(proof_id, "prf"):
        raise not_found(proof_id)
    return ProofItem.load(tenant_id, proof_id, consistent=consistent)


def load_for_change(tenant_id: str, proof_id: str) -> ProofState:
    """The proof, its index entries and its decisions, strongly consistent, in one Query."""
    if not ids.is_valid_id(proof_id, "prf"):
        raise not_found(proof_id)
    pk = keys.entity_pk(tenant_id, PROOF, proof_id)
    items = list(Item.query(pk, Item.sk.between(*_CHANGE_RANGE), consistent_read=True))
    proof = next((item for item in items if isinstance(item, ProofItem)), None)
    if proof is None:
        raise not_found(proof_id)
    return ProofState(proof=proof,
                      entries={entry.sk: entry for entry in items if isinstance(entry, ProofIndexItem)},
                      decisions=[item for item in items if isinstance(item, DecisionItem)])


def subject(proof: ProofItem) -> Ref:
    return Ref(type="proof", id=proof.id, name=proof.title)


def index_entries(proof: ProofItem) -> list[ProofIndexItem]:
    """Every list the proof belongs in: all, its status, its owner, each reviewer, each tag."""
    listed = [("all", "all"), ("status", proof.status), ("owner", proof.owner_id),
              *(("reviewer", r.user_id) for r in proof.reviewers), *(("tag", tag) for tag in proof.tags)]
    summary = proof_out(proof).model_dump(mode="json")
    return [ProofIndexItem(tenant_id=proof.tenant_id, proof_id=proof.id, field=name, value=value,
                           due_date=proof.due_date, summary=summary) for name, value in dict.fromkeys(listed)]


def commit(uow: UnitOfWork, state: ProofState, event: EventType, data: dict[str, Any], *,
           new: bool = False, delete: bool = False, metadata: dict[str, Any] | None = None) -> None:
    """Write the proof as ``state.proof`` now stands (or delete it) with its index entries, audit and event.
    ``uow`` may already hold the change's other items (a version, a decision, a job)."""
    proof = state.proof
    if new:
        uow.create(proof, conflict=Conflict("id collision; retry"))
    elif delete:
        uow.delete(proof)
    else:
        uow.save(proof)
    rewrite_projections(uow, state.entries.values(), [] if delete else index_entries(proof),
                        key=ProofIndexItem.child_key)
    uow.record(event.name, subject=subject(proof), data=data, metadata=metadata)
    uow.commit()
