"""What the proofs app holds about a person (``PROVIDERS``): the comments they wrote.

Comments are listed per proof (a thread), not per author: finding a person's comments reads the tenant's proofs a
page at a time and each proof's thread (one Query each). Erasure replaces each comment's body by the erased
placeholder; the comment keeps its place in its thread, as a deleted one does.
"""

from collections.abc import Iterator

from atrium.apps.proofs.comments.models import ProofCommentItem, thread_pk
from atrium.apps.proofs.proofs.models import PROOF, ProofItem
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

NAME = "proofs.comments"


def _comments(tenant_id: str, author_id: str) -> Iterator[ProofCommentItem]:
    for proof in Item.gsi1.query(keys.collection_pk(tenant_id, PROOF)):
        if not isinstance(proof, ProofItem):
            continue
        for comment in Item.gsi1.query(thread_pk(tenant_id, proof.id),
                                       filter_condition=ProofCommentItem.author_id == author_id):
            if isinstance(comment, ProofCommentItem):
                yield comment


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    if subject.user_id is None:
        return []
    return [PersonalRecord("proof_comment", comment.id, {
        "proof_id": comment.proof_id, "created_at": clock.iso(comment.created_at), **personal_values(comment)})
        for comment in _comments(tenant_id, subject.user_id)]


def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
    if subject.user_id is None:
        return 0
    comments = list(_comments(tenant_id, subject.user_id))
    for comment in comments:
        erase_personal(comment)
    return write_erasure(tenant_id, NAME, saves=comments)


PROVIDERS = [
    PersonalDataProvider(name=NAME, description="Comments the person wrote on proofs.", find=find, erase=erase),
]
