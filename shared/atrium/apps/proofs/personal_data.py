"""What the proofs app holds about a person (``PROVIDERS``): the comments they wrote, and their decisions as a
reviewer (the address, note and IP recorded with each).

Both are kept per proof, not per person: finding a person's reads the tenant's proofs a page at a time and, for each,
its thread or its decisions (one Query each). Erasure replaces the personal values by the erased placeholders; a
comment keeps its place in its thread, as a deleted one does, and a decision (who, what, when) stays as the proof's
history. The approval certificates of the proofs a reviewer was asked to review or decided on are then rendered
again from that history (``certificates.reissue``), so no PDF keeps their address, note or IP.
"""

from collections.abc import Callable, Iterator
from typing import Any

from atrium.apps.proofs.comments.models import ProofCommentItem, thread_pk
from atrium.apps.proofs.proofs import certificates
from atrium.apps.proofs.proofs.models import PROOF, DecisionItem, ProofItem
from atrium.kernel import clock
from atrium.kernel.personal_data import (
    ERASER,
    PersonalDataProvider,
    PersonalRecord,
    Subject,
    erase_personal,
    personal_values,
    write_erasure,
)
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

Finder = Callable[[str, str, str], Iterator[Any]]  # (tenant, proof, person) -> their items of that proof
# (tenant, person, the tenant's proofs, the items erased) -> what else must follow
Erased = Callable[[str, str, list[ProofItem], list[Any]], None]


def _comments(tenant_id: str, proof_id: str, author_id: str) -> Iterator[ProofCommentItem]:
    for comment in Item.gsi1.query(thread_pk(tenant_id, proof_id),
                                   filter_condition=ProofCommentItem.author_id == author_id):
        if isinstance(comment, ProofCommentItem):
            yield comment


def _decisions(tenant_id: str, proof_id: str, reviewer_id: str) -> Iterator[DecisionItem]:
    for decision in Item.query(keys.entity_pk(tenant_id, PROOF, proof_id),
                               Item.sk.startswith(f"{DecisionItem.type_name()}#"),
                               filter_condition=DecisionItem.reviewer_id == reviewer_id):
        if isinstance(decision, DecisionItem):
            yield decision


def _proofs(tenant_id: str) -> list[ProofItem]:
    return [proof for proof in Item.gsi1.query(keys.collection_pk(tenant_id, PROOF)) if isinstance(proof, ProofItem)]


def _of_person(tenant_id: str, user_id: str, per_proof: Finder, proofs: list[ProofItem]) -> Iterator[Any]:
    for proof in proofs:
        yield from per_proof(tenant_id, proof.id, user_id)


def _record(item: Any) -> PersonalRecord:
    kind = "proof_comment" if isinstance(item, ProofCommentItem) else "proof_decision"
    facts = {} if kind == "proof_comment" else {"version_number": int(item.version_number),
                                                "decision": item.decision}
    return PersonalRecord(kind, item.id, {"proof_id": item.proof_id, "created_at": clock.iso(item.created_at),
                                          **facts, **personal_values(item)})


def _reissue_certificates(tenant_id: str, reviewer_id: str, proofs: list[ProofItem], decisions: list[Any]) -> None:
    """A certificate lists every reviewer of its proof with their address, and every decision on its version."""
    reviewing = {proof.id for proof in proofs if reviewer_id in {r.user_id for r in proof.reviewers}}
    certificates.reissue(tenant_id, reviewing | {decision.proof_id for decision in decisions}, ERASER)


def _provider(name: str, description: str, per_proof: Finder,
              then: Erased = lambda _tenant_id, _person, _proofs, _items: None) -> PersonalDataProvider:
    def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
        if subject.user_id is None:
            return []
        return [_record(item) for item in _of_person(tenant_id, subject.user_id, per_proof, _proofs(tenant_id))]

    def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
        if subject.user_id is None:
            return 0
        proofs = _proofs(tenant_id)
        items = list(_of_person(tenant_id, subject.user_id, per_proof, proofs))
        for item in items:
            erase_personal(item)
        erased = write_erasure(tenant_id, name, saves=items)
        then(tenant_id, subject.user_id, proofs, items)
        return erased

    return PersonalDataProvider(name=name, description=description, find=find, erase=erase)


PROVIDERS = [
    _provider("proofs.comments", "Comments the person wrote on proofs.", _comments),
    _provider("proofs.decisions", "Decisions the person made on proofs as a reviewer: their address, note and IP "
                                  "with each, and the approval certificates listing them.", _decisions,
              then=_reissue_certificates),
]
