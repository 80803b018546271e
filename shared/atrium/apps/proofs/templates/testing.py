"""Sample proof templates, for the tests and the bench (``atrium.kernel.testing``): templates with a version 1 in
their tenant's library."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.kernel.testing import CallBudget, Fixture, IdFactory, Owner, Request, RequestSetup

NEW_TEMPLATE = {"name": "Bench poster", "fields": [{"name": "size", "label": "Size", "required": True}],
                "checklist": ["Bleed"], "tags": ["print"]}


def library_template(client: TestClient, auth: dict[str, str], body: dict[str, Any] = NEW_TEMPLATE) -> str:
    """The path of a new template with version 1 published in the caller's library."""
    response = client.post("/v1/templates", json=body, headers=auth)
    response.raise_for_status()
    path = f"/v1/templates/{response.json()['id']}"
    for step in (f"{path}/versions", f"{path}/versions/1/publish"):
        client.post(step, headers=auth).raise_for_status()
    return path


def a_template(client: TestClient, owner: Owner) -> str:
    return library_template(client, owner.auth, {"name": "Matrix template"}).rsplit("/", 1)[1]


PATH_IDS: dict[str, IdFactory] = {
    "template_id": a_template,
    "template_version": lambda _client, _owner: "1",  # every template_id above has a version 1
}


def _request(path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Request:
    return Request(body=body, headers=headers or {}, path=path)


def _library(fixture: Fixture) -> str:
    return library_template(fixture.client, fixture.auth)


def _updated(fixture: Fixture) -> Request:
    path = _library(fixture)
    return _request(path, {"description": "Bench"}, {"If-Match": fixture.etag(path)})


BENCH_REQUESTS: dict[str, RequestSetup] = {
    "proofs.create_template": lambda _fixture, _: _request("/v1/templates", NEW_TEMPLATE),
    "proofs.get_template": lambda fixture, _: _request(_library(fixture)),
    "proofs.update_template": lambda fixture, _: _updated(fixture),
    "proofs.delete_template": lambda fixture, _: _request(_library(fixture)),
    "proofs.create_template_version": lambda fixture, _: _request(f"{_library(fixture)}/versions"),
    "proofs.list_template_versions": lambda fixture, _: _request(f"{_library(fixture)}/versions"),
    "proofs.publish_template_version": lambda fixture, _: _request(f"{_library(fixture)}/versions/1/publish"),
    "proofs.create_proof_from_template": lambda fixture, _: _request(
        f"{_library(fixture)}/proofs", {"title": "Bench", "values": {"size": "A2"}}),
}

AWS_CALL_BUDGETS = {
    "proofs.create_template + Idempotency-Key": CallBudget(3,
        "The idempotency record is claimed (PutItem) before the transaction and completed (PutItem) after it, so a "
        "retry replays the stored response."),
    "proofs.update_template": CallBudget(2,
        "A consistent GetItem before the transaction: a stale If-Match fails fast with 412, and the draft is merged "
        "with the change before it is validated."),
    "proofs.delete_template": CallBudget(2,
        "One consistent Query of the template's partition (the template and its versions, at most 50) before the "
        "transaction that deletes them all."),
    "proofs.create_template_version": CallBudget(2,
        "A consistent GetItem of the template (its draft and latest version number) before the transaction that writes"
        " the new version and the template."),
    "proofs.create_template_version + Idempotency-Key": CallBudget(4,
        "As proofs.create_template_version, plus the idempotency record claimed (PutItem) before and completed "
        "(PutItem) after, so a retry replays the stored response."),
    "proofs.list_template_versions": CallBudget(2,
        "The template is read first (GetItem), so another tenant's template id is a 404 and not an empty list; then "
        "one Query per page of versions."),
    "proofs.publish_template_version": CallBudget(2,
        "One consistent BatchGetItem (the template and the version to publish, whose snapshot the template keeps) "
        "before the transaction."),
    "proofs.create_proof_from_template": CallBudget(5,
        "The template (its library snapshot) or the named version (GetItem), then the members lookup of the owner and "
        "the default reviewers (BatchGetItem), the plan's proofs of the month (as proofs.create_proof: a GetItem, "
        "and a Query when the plan limits them), then the transaction."),
    "proofs.create_proof_from_template + Idempotency-Key": CallBudget(7,
        "As proofs.create_proof_from_template, plus the idempotency record claimed (PutItem) before and completed "
        "(PutItem) after, so a retry replays the stored response."),
}
