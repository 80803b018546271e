"""Stepping up, as a client must before calling a route declared ``step_up`` (MFA enrolment, API tokens, webhook
secrets, the email change)."""

from fastapi.testclient import TestClient

from tests.support.people import PASSWORD

STEP_UP = "/v1/auth/step-up"


def stepped_up(client: TestClient, auth: dict[str, str], *, password: str = PASSWORD) -> dict[str, str]:
    """The Authorization header of ``auth``'s session stepped up now with ``password`` (good for 5 minutes)."""
    response = client.post(STEP_UP, json={"password": password}, headers=auth)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
