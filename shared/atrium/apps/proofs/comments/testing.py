"""Sample comments, for the tests and the bench (``atrium.kernel.testing``): comments by the owner on a draft."""

from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs.testing import new_draft, the_draft
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup, created

NEW_COMMENT = {"body": "Bench comment"}


def _a_deleted_comment(client: TestClient, owner: Owner) -> str:
    """A comment on the tenant's draft, deleted: a later edit or delete answers 409 before the author check. Only
    its author edits a comment, and no member made for a call of the matrices wrote it; a 403 for not being the
    author would read as a permission refusal."""
    comments = f"/v1/proofs/{the_draft(client, owner)}/comments"
    comment_id = created("id", comments, {"body": "Matrix comment"})(client, owner)
    assert client.delete(f"{comments}/{comment_id}", headers=owner.auth).status_code == 204
    return comment_id


PATH_IDS: dict[str, IdFactory] = {"comment_id": _a_deleted_comment}


def _comments_path(fixture: Fixture) -> str:
    return f"/v1/proofs/{new_draft(fixture)}/comments"


def _comment_path(fixture: Fixture) -> str:
    comments = _comments_path(fixture)
    return f"{comments}/{fixture.post(comments, NEW_COMMENT)['id']}"


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "proofs.create_proof_comment": lambda fixture, _: Request(path=_comments_path(fixture), body=NEW_COMMENT),
    "proofs.list_proof_comments": lambda fixture, _: Request(path=_comment_path(fixture).rsplit("/", 1)[0]),
    "proofs.update_proof_comment": lambda fixture, _: Request(
        path=_comment_path(fixture), body={"body": "Bench comment, edited"}, headers={"If-Match": '"1"'}),
    "proofs.delete_proof_comment": lambda fixture, _: Request(path=_comment_path(fixture)),
}

AWS_CALL_BUDGETS = {
    "proofs.create_proof_comment": CallBudget(3,
        "One consistent BatchGetItem of the proof (its versions) and the parent comment, one BatchGetItem of the "
        "mentioned members when the body mentions any, then the transaction with the audit entry and the event."),
    "proofs.create_proof_comment + Idempotency-Key": CallBudget(5,
        "As without the key, and the idempotency record claimed (PutItem) before the transaction and completed "
        "(PutItem) after it, so a retry replays the stored response."),
    "proofs.list_proof_comments": CallBudget(2,
        "A GetItem of the proof, so another tenant's or a deleted proof is a 404 rather than a list, then one Query of"
        " its comments (gsi1, or gsi2 for one version) per page."),
    "proofs.update_proof_comment": CallBudget(3,
        "One consistent BatchGetItem of the proof and the comment (its author, version and earlier mentions), one "
        "BatchGetItem of the newly mentioned members when there are any, then the versioned transaction."),
    "proofs.delete_proof_comment": CallBudget(2,
        "One consistent BatchGetItem of the proof and the comment (its author and version), then the versioned "
        "transaction that empties it."),
}
