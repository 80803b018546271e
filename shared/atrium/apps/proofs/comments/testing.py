"""Sample comments, for the tests (``atrium.kernel.testing``): comments by the owner on a draft."""

from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs.testing import the_draft
from atrium.kernel.testing import IdFactory, Owner, created


def _a_deleted_comment(client: TestClient, owner: Owner) -> str:
    """A comment on the tenant's draft, deleted: a later edit or delete answers 409 before the author check. Only
    its author edits a comment, and no member made for a call of the matrices wrote it; a 403 for not being the
    author would read as a permission refusal."""
    comments = f"/v1/proofs/{the_draft(client, owner)}/comments"
    comment_id = created("id", comments, {"body": "Matrix comment"})(client, owner)
    assert client.delete(f"{comments}/{comment_id}", headers=owner.auth).status_code == 204
    return comment_id


PATH_IDS: dict[str, IdFactory] = {"comment_id": _a_deleted_comment}
