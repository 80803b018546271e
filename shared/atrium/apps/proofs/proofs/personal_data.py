"""What the proofs app holds about a reviewer (``PROVIDERS``): their decisions (address, note, IP).

Decisions sit in their proof's partition: finding a person's reads the tenant's proofs a page at a time and each
proof's decisions (one Query each, from the ``ProofDecision#`` sort keys). Erasure replaces the address, note and IP
by the erased placeholders; the decision itself (who decided, what, when) stays, as the proof's history. Approval
certificates already rendered (PDF files) keep the reviewers' addresses: they are the record of the approval.
"""

from collections.abc import Iterator

from atrium.apps.proofs.proofs.models import PROOF, DecisionItem, ProofItem
from atrium.kernel import clock
from atrium.kernel.personal_data import (
    PersonalDataProvider,
    PersonalRecord,
    Subject,
    erase_personal,
    personal_values,
    write_erasure,
)
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

NAME = "proofs.decisions"


def _decisions(tenant_id: str, reviewer_id: str) -> Iterator[DecisionItem]:
    for proof in Item.gsi1.query(keys.collection_pk(tenant_id, PROOF)):
        if not isinstance(proof, ProofItem):
            continue
        for decision in Item.query(keys.entity_pk(tenant_id, PROOF, proof.id),
                                   Item.sk.startswith(f"{DecisionItem.type_name()}#"),
                                   filter_condition=DecisionItem.reviewer_id == reviewer_id):
            if isinstance(decision, DecisionItem):
                yield decision


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    if subject.user_id is None:
        return []
    return [PersonalRecord("proof_decision", decision.id, {
        "proof_id": decision.proof_id, "version_number": int(decision.version_number), "decision": decision.decision,
        "decided_at": clock.iso(decision.created_at), **personal_values(decision)})
        for decision in _decisions(tenant_id, subject.user_id)]


def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
    if subject.user_id is None:
        return 0
    decisions = list(_decisions(tenant_id, subject.user_id))
    for decision in decisions:
        erase_personal(decision)
    return write_erasure(tenant_id, NAME, saves=decisions)


PROVIDERS = [
    PersonalDataProvider(name=NAME, description="Decisions the person made on proofs as a reviewer: their address, "
                                                "note and IP with each.", find=find, erase=erase),
]
