"""Sample proofs, for the tests (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.kernel.testing import IdFactory, Owner, created

_drafts: dict[str, str] = {}


def the_draft(client: TestClient, owner: Owner) -> str:
    """One proof per tenant, a draft without versions (decisions on it are a 409); a comment's routes name it
    with the comment."""
    if owner.id not in _drafts:
        _drafts[owner.id] = created("id", "/v1/proofs", {"title": "Matrix proof"})(client, owner)
    return _drafts[owner.id]


PATH_IDS: dict[str, IdFactory] = {
    "proof_id": the_draft,
    # Of that draft, which has none: 404 (the routes with it are exercised in tests/api/test_proof_versions.py).
    "version": lambda _client, _owner: "1",
}
