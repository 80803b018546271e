"""The demo (``atrium demo``, ``atrium dev --demo``) against the in-process local app: what it makes is all there
through the API, and a second run makes nothing."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

from atrium_local import receiver as local_receiver
from atrium_local.demo import Report, Stack, run_demo
from atrium_local.demo.api import RECEIVER_NAME
from atrium_local.demo.people import OWNER
from atrium_local.demo.proofs import PLANS
from atrium_local.worker import Worker
from tests.support.proofs import send_file
from tests.support.webhook_receiver import Receiver

Run = Callable[[], Report]


@pytest.fixture
def demo(client: TestClient, worker: Worker, receiver: Receiver) -> Run:
    """A demo run; the worker drains whenever the demo waits for background work (emails, jobs, the chain). One
    drain may do all of a batch of the demo's writes: on a loaded machine that took over the default 30 s."""
    return lambda: run_demo(Stack(client, receiver_url=receiver.url, upload=send_file,
                                  settle=lambda: worker.drain(timeout=120)))


def _list(client: TestClient, path: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    response = client.get(path, headers=auth)  # the demo's lists fit in a first page
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"]
    return items


def _counts(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    proofs = _list(client, "/v1/proofs", auth)
    return {
        "members": len(_list(client, "/v1/users", auth)),
        "invitations": len(_list(client, "/v1/invitations", auth)),
        "proofs": len(proofs),
        "versions": {p["title"]: len(_list(client, f"/v1/proofs/{p['id']}/versions", auth)) for p in proofs},
        "comments": {p["title"]: len(_list(client, f"/v1/proofs/{p['id']}/comments", auth)) for p in proofs},
        "decisions": {p["title"]: len(_list(client, f"/v1/proofs/{p['id']}/decisions", auth)) for p in proofs},
        "templates": len(_list(client, "/v1/templates", auth)),
        "gallery": len(_list(client, "/v1/gallery/templates", auth)),
        "endpoints": len(_list(client, "/v1/webhook-endpoints", auth)),
    }


def test_every_demo_object_is_there_through_the_api_and_a_second_run_makes_nothing_new(
        client: TestClient, demo: Run, receiver: Receiver) -> None:
    report = demo()
    roles = {role["name"] for role in _list(client, "/v1/roles", report.cast.owner.session.auth)
             if role["built_in"] and role["scope"] is None}
    assert set(report.cast.users) == roles and OWNER in roles
    for role, user in report.cast.users.items():
        signed_in = client.post("/v1/auth/login", json={"email": user.session.email,
                                                        "password": user.session.password})
        assert signed_in.status_code == 200, signed_in.text
        me = client.get("/v1/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"}).json()
        assert me["roles"] == [role] and me["tenant"]["id"] == report.cast.tenant["id"]

    owner = report.cast.owner.session.auth
    proofs = _list(client, "/v1/proofs", owner)
    states = [p["status"] for p in proofs]
    assert all(states.count(state) == 2 for state in ("draft", "in_review", "changes_requested", "approved",
                                                      "rejected")) and len(states) == 10
    for proof in proofs:
        assert len(_list(client, f"/v1/proofs/{proof['id']}/versions", owner)) == proof["current_version"] >= 1
        assert len(_list(client, f"/v1/proofs/{proof['id']}/comments", owner)) >= 2
    approved = next(p for p in proofs if p["title"] == PLANS[0].title)  # the one whose certificate it waits for
    certificate = client.get(f"/v1/proofs/{approved['id']}/certificate", headers=owner).json()
    pdf = requests.get(certificate["url"], timeout=10).content
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == certificate["sha256"]

    listed = _list(client, "/v1/gallery/templates", owner)
    assert [listing["id"] for listing in listed] == [report.template["gallery_listing_id"]]
    (endpoint,) = _list(client, "/v1/webhook-endpoints", owner)
    assert endpoint["url"] == receiver.url and receiver.received
    # The stack's own receiver was given the endpoint's secret (the test's receiver took the deliveries).
    assert RECEIVER_NAME in local_receiver.registered()
    verified = client.get("/v1/audit/verify", headers=owner).json()
    assert verified["intact"] and verified["entries_verified"] > 0

    before = _counts(client, owner)
    again = demo()
    assert report.created and again.created == []
    assert _counts(client, owner) == before
    assert again.cast.tenant == report.cast.tenant
    assert before["members"] == len(report.cast.users) and before["invitations"] == 0
