"""Sample sessions and requests of the identity context, for the tests and the bench (``atrium.kernel.testing``)."""

from fastapi.testclient import TestClient

from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup


def _a_session(client: TestClient, owner: Owner) -> str:
    sessions = client.get("/v1/sessions", headers=owner.auth).json()["data"]
    return str(sessions[0]["id"])


PATH_IDS: dict[str, IdFactory] = {"session_id": _a_session}


def _login(fixture: Fixture) -> dict[str, str]:
    """A fresh session of the fixture's owner: its tokens."""
    response = fixture.client.post("/v1/auth/login", json={"email": fixture.email, "password": fixture.password})
    response.raise_for_status()
    tokens: dict[str, str] = response.json()
    return tokens


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _session_path(fixture: Fixture, _spec: RouteSpec) -> Request:
    """Another session of the fixture's owner (revoking the fixture's own would end its token)."""
    auth = _bearer(_login(fixture))
    response = fixture.client.get("/v1/sessions", headers=auth)
    response.raise_for_status()
    session_id = next(session["id"] for session in response.json()["data"] if session["current"])
    return Request(path=f"/v1/sessions/{session_id}")


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "identity.signup": lambda fixture, _: Request(body=fixture.new_signup()),
    "identity.update_tenant": lambda fixture, spec: Request(body={"name": "Bench renamed"},
                                                            headers={"If-Match": fixture.etag(spec.path)}),
    "identity.login": lambda fixture, _: Request(body={"email": fixture.email, "password": fixture.password}),
    "identity.refresh": lambda fixture, _: Request(body={"refresh_token": _login(fixture)["refresh_token"]}),
    "identity.logout": lambda fixture, _: Request(headers=_bearer(_login(fixture))),
    "identity.revoke_session": _session_path,
}

AWS_CALL_BUDGETS = {
    "identity.update_tenant": CallBudget(2,
        "A consistent GetItem before the transaction: the event carries previous_name, and a stale If-Match fails fast"
        " with 412 before any write."),
    "identity.signup + Idempotency-Key": CallBudget(3,
        "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, so a "
        "retry replays the stored response."),
    "identity.login": CallBudget(5,
        "Reads in three steps that depend on each other: lockout state and the email's owner (one BatchGetItem), the "
        "user, then the candidate tenants and memberships (one BatchGetItem); then the session is written in one "
        "transaction. The attempt is counted (one conditional UpdateItem) before the password is checked, so "
        "concurrent guesses cannot all be checked; a right password clears that count in the transaction. A failed "
        "attempt writes the lockout counters instead."),
    "identity.refresh": CallBudget(3,
        "The presented token's item names the session; the session, user, membership, tenant and custom roles are then"
        " read in one consistent BatchGetItem (a refresh must not outlive a removal or suspension); then one "
        "transaction spends the token and writes its successor."),
    "identity.logout": CallBudget(2, "Reads the session first: its version for the conditional delete."),
    "identity.revoke_session": CallBudget(2,
        "Reads the session first: it must belong to the caller (otherwise 404), and its version for the conditional "
        "delete."),
}
