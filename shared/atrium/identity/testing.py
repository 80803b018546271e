"""Sample sessions of the identity context, for the tests (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.kernel.testing import IdFactory, Owner


def _a_session(client: TestClient, owner: Owner) -> str:
    sessions = client.get("/v1/sessions", headers=owner.auth).json()["data"]
    return str(sessions[0]["id"])


PATH_IDS: dict[str, IdFactory] = {"session_id": _a_session}
