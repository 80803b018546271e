"""Sample audit events, for the tests (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.kernel.testing import IdFactory


def _an_event(client: TestClient, auth: dict[str, str]) -> str:
    """The newest entry of the caller's tenant log."""
    return str(client.get("/v1/audit-events", params={"limit": 1}, headers=auth).json()["data"][0]["id"])


PATH_IDS: dict[str, IdFactory] = {"event_id": lambda client, owner: _an_event(client, owner.auth)}
