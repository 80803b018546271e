"""The review workflow: each legal transition, each illegal one (409), the approval rule with several reviewers
and a new version, and concurrent decisions."""

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.apps.proofs.proofs import store as proof_store
from atrium.apps.proofs.proofs.store import ProofState
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member
from tests.support.proofs import upload_version

PATH = "/v1/proofs"
DECISIONS = {"approve": "approved", "request-changes": "changes_requested", "reject": "rejected"}


def _proof(client: TestClient, tenant: Tenant, reviewers: list[tuple[Member, bool]]) -> str:
    body = {"title": "Poster", "reviewers": [{"user_id": m.user_id, "required": required} for m, required in reviewers]}
    response = client.post(PATH, json=body, headers=tenant.auth)
    assert response.status_code == 201, response.text
    proof_id = str(response.json()["id"])
    upload_version(client, tenant, proof_id)
    return proof_id


def _act(client: TestClient, who: Tenant | Member, proof_id: str, action: str, version: int = 1) -> Any:
    body = None if action == "submit" else {"version": version}
    return client.post(f"{PATH}/{proof_id}/{action}", json=body, headers=who.auth)


def _status(client: TestClient, tenant: Tenant, proof_id: str) -> str:
    return str(client.get(f"{PATH}/{proof_id}", headers=tenant.auth).json()["status"])


def _audited(client: TestClient, tenant: Tenant, action: str) -> list[dict[str, Any]]:
    entries = client.get(f"/v1/audit-events?action={action}", headers=tenant.auth).json()["data"]
    return [e for e in entries if e["action"] == action]


@pytest.fixture
def reviewer(tenant_a: Tenant) -> Member:
    return add_member(tenant_a.id, "member")


def _in_state(client: TestClient, tenant: Tenant, reviewer: Member, status: str) -> str:
    """A proof reviewed by ``reviewer`` alone, brought to ``status`` through the API."""
    proof_id = _proof(client, tenant, [(reviewer, True)])
    steps = {"draft": [], "in_review": ["submit"], "changes_requested": ["submit", "request-changes"],
             "approved": ["submit", "approve"], "rejected": ["submit", "reject"]}[status]
    for step in steps:
        assert _act(client, tenant if step == "submit" else reviewer, proof_id, step).status_code == 200
    assert _status(client, tenant, proof_id) == status
    return proof_id


@pytest.mark.parametrize(("start", "action", "end"), [
    ("draft", "submit", "in_review"),
    ("in_review", "request-changes", "changes_requested"),
    ("changes_requested", "submit", "in_review"),
    ("in_review", "approve", "approved"),
    ("in_review", "reject", "rejected"),
])
def test_each_legal_transition(client: TestClient, tenant_a: Tenant, reviewer: Member, start: str, action: str,
                               end: str) -> None:
    proof_id = _in_state(client, tenant_a, reviewer, start)
    response = _act(client, tenant_a if action == "submit" else reviewer, proof_id, action)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == end == _status(client, tenant_a, proof_id)
    event = {"submit": "proof.submitted"}.get(action, f"proof.{DECISIONS.get(action)}")
    assert _audited(client, tenant_a, event), f"{event} was not audited"


@pytest.mark.parametrize(("start", "action"), [
    ("in_review", "submit"), ("approved", "submit"), ("rejected", "submit"),
    *((state, action) for state in ("draft", "changes_requested", "approved", "rejected") for action in DECISIONS),
])
def test_each_illegal_transition_is_409_and_changes_nothing(client: TestClient, tenant_a: Tenant, reviewer: Member,
                                                           start: str, action: str) -> None:
    proof_id = _in_state(client, tenant_a, reviewer, start)
    before = client.get(f"{PATH}/{proof_id}", headers=tenant_a.auth).json()
    response = _act(client, tenant_a if action == "submit" else reviewer, proof_id, action)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{PATH}/{proof_id}", headers=tenant_a.auth).json() == before


def test_submitting_needs_a_version_and_a_required_reviewer(client: TestClient, tenant_a: Tenant,
                                                            reviewer: Member) -> None:
    bare = client.post(PATH, json={"title": "T", "reviewers": [{"user_id": reviewer.user_id}]},
                       headers=tenant_a.auth).json()
    assert "upload a version" in _act(client, tenant_a, bare["id"], "submit").json()["detail"]
    optional_only = _proof(client, tenant_a, [(reviewer, False)])
    assert "required reviewer" in _act(client, tenant_a, optional_only, "submit").json()["detail"]


def test_approval_needs_every_required_reviewer_on_the_current_version(client: TestClient, tenant_a: Tenant) -> None:
    first, second, optional = (add_member(tenant_a.id, "member") for _ in range(3))
    proof_id = _proof(client, tenant_a, [(first, True), (second, True), (optional, False)])
    assert _act(client, tenant_a, proof_id, "submit").status_code == 200
    assert _act(client, first, proof_id, "approve").json()["status"] == "in_review"
    assert _act(client, first, proof_id, "approve").status_code == 409  # once per version
    assert _act(client, optional, proof_id, "approve").json()["status"] == "in_review"

    upload_version(client, tenant_a, proof_id)  # a new version: approvals start again
    proof = client.get(f"{PATH}/{proof_id}", headers=tenant_a.auth).json()
    assert proof["current_version"] == 2 and not any(r["approved_current_version"] for r in proof["reviewers"])
    stale = _act(client, second, proof_id, "approve", version=1)
    assert stale.status_code == 409 and "not the current version" in stale.json()["detail"]
    assert _act(client, second, proof_id, "approve", version=2).json()["status"] == "in_review"
    approved = _act(client, first, proof_id, "approve", version=2)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert len(_audited(client, tenant_a, "proof.approved")) == 1
    assert len(_audited(client, tenant_a, "proof.reviewer_approved")) == 3

    decisions = client.get(f"{PATH}/{proof_id}/decisions", headers=tenant_a.auth).json()["data"]
    assert [(d["reviewer_id"], d["version"], d["decision"]) for d in decisions] == [
        (first.user_id, 1, "approved"), (optional.user_id, 1, "approved"),
        (second.user_id, 2, "approved"), (first.user_id, 2, "approved")]
    assert decisions[0]["reviewer_email"] == first.email and decisions[0]["decided_at"]


def test_only_the_proofs_reviewers_decide(client: TestClient, tenant_a: Tenant, reviewer: Member) -> None:
    proof_id = _in_state(client, tenant_a, reviewer, "in_review")
    bystander = add_member(tenant_a.id, "member")
    for action in DECISIONS:
        assert _act(client, bystander, proof_id, action).status_code == 403
    assert _status(client, tenant_a, proof_id) == "in_review"


def test_concurrent_approvals_both_count_and_approve_once(client: TestClient, tenant_a: Tenant,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = add_member(tenant_a.id, "member"), add_member(tenant_a.id, "member")
    proof_id = _proof(client, tenant_a, [(first, True), (second, True)])
    assert _act(client, tenant_a, proof_id, "submit").status_code == 200
    both_read = threading.Barrier(2, timeout=10)
    reads = itertools.count(1)
    original: Callable[[str, str], ProofState] = proof_store.load_for_change

    def read_together(tenant_id: str, wanted: str) -> ProofState:
        state = original(tenant_id, wanted)
        if next(reads) <= 2:
            both_read.wait()  # both decisions have read the proof before either writes
        return state

    monkeypatch.setattr(proof_store, "load_for_change", read_together)
    answers: dict[str, int] = {}

    def approve(member: Member) -> None:
        answers[member.user_id] = _act(client, member, proof_id, "approve").status_code

    threads = [threading.Thread(target=approve, args=(m,), name=m.user_id) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {first.user_id: 200, second.user_id: 200}
    assert next(reads) == 4  # three reads: one decision lost the race, read again and counted
    assert _status(client, tenant_a, proof_id) == "approved"
    assert len(_audited(client, tenant_a, "proof.approved")) == 1
    assert len(client.get(f"{PATH}/{proof_id}/decisions", headers=tenant_a.auth).json()["data"]) == 2
