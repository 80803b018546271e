"""Set-up for the proofs app's proof and workflow operations in bench/aws_calls.py: proofs of the fixture tenant
reviewed by the fixture's owner, brought through the API to the state each operation needs."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from bench.proof_version_requests import add_version

if TYPE_CHECKING:
    from atrium.kernel.http.routing import RouteSpec
    from bench.aws_calls import Fixture, Request


def _owner_id(fixture: "Fixture") -> str:
    return str(fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"])


def new_proof(fixture: "Fixture") -> dict[str, object]:
    return {"title": "Bench proof", "tags": ["bench"], "due_date": "2026-12-24",
            "reviewers": [{"user_id": _owner_id(fixture)}]}


def _proof(fixture: "Fixture", *steps: str) -> str:
    """A proof reviewed by the fixture's owner; ``steps`` ("version", "submit") taken in order."""
    proof_id = str(fixture.post("/v1/proofs", new_proof(fixture))["id"])
    for step in steps:
        if step == "version":
            add_version(fixture, proof_id)
        else:
            fixture.post(f"/v1/proofs/{proof_id}/{step}", {})
    return proof_id


def _at(*steps: str, body: dict[str, object] | None = None,
        headers: dict[str, str] | None = None) -> Callable[["Fixture", "RouteSpec"], "Request"]:
    def setup(fixture: "Fixture", spec: "RouteSpec") -> "Request":
        from bench.aws_calls import Request

        return Request(path=spec.path.format(proof_id=_proof(fixture, *steps)), body=body, headers=headers or {})

    return setup


def _create(fixture: "Fixture", _spec: "RouteSpec") -> "Request":
    from bench.aws_calls import Request

    return Request(body=new_proof(fixture))


DECISION = {"version": 1, "note": "Bench"}
IN_REVIEW = ("version", "submit")

PROOF_SETUP: dict[str, Callable[["Fixture", "RouteSpec"], "Request"]] = {
    "proofs.create_proof": _create,
    "proofs.get_proof": _at(),
    "proofs.update_proof": _at(body={"title": "Bench proof, renamed"}, headers={"If-Match": '"1"'}),
    "proofs.delete_proof": _at(),
    "proofs.submit_proof": _at("version"),
    "proofs.approve_proof": _at(*IN_REVIEW, body=DECISION),
    "proofs.request_proof_changes": _at(*IN_REVIEW, body=DECISION),
    "proofs.reject_proof": _at(*IN_REVIEW, body=DECISION),
    "proofs.list_proof_decisions": _at(*IN_REVIEW),
}
