"""Idempotency keys on an authenticated creating POST are scoped to the caller's tenant."""

from collections.abc import Iterator
from itertools import count

import pytest
from fastapi import Response
from fastapi.testclient import TestClient
from pydantic import BaseModel

from atrium.identity.authorizer import authenticate
from atrium.kernel.http.app import create_app
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter
from atrium_local.provision import Provisioned
from tests.api.conftest import Tenant

_created = count(1)


class Note(BaseModel):
    text: str


class Created(BaseModel):
    id: int
    tenant_id: str
    text: str


router = ContextRouter("demo")


@router.post("/v1/notes", name="create_note", permission="tenant:read", status_code=201, idempotent=True)
def create_note(body: Note, principal: CurrentPrincipal, response: Response) -> Created:
    number = next(_created)
    response.headers["Location"] = f"/v1/notes/{number}"
    return Created(id=number, tenant_id=principal.tenant_id, text=body.text)


@pytest.fixture
def notes(aws: Provisioned) -> Iterator[TestClient]:
    with TestClient(create_app(router.specs, authenticate=authenticate)) as test_client:
        yield test_client


def test_the_same_key_in_two_tenants_creates_two_things(notes: TestClient, tenant_a: Tenant,
                                                        tenant_b: Tenant) -> None:
    a = notes.post("/v1/notes", json={"text": "hi"}, headers=tenant_a.auth | {"Idempotency-Key": "k"})
    b = notes.post("/v1/notes", json={"text": "hi"}, headers=tenant_b.auth | {"Idempotency-Key": "k"})
    assert a.status_code == b.status_code == 201
    assert a.json()["tenant_id"] == tenant_a.id and b.json()["tenant_id"] == tenant_b.id
    assert a.json()["id"] != b.json()["id"]


def test_a_retry_in_the_same_tenant_replays(notes: TestClient, tenant_a: Tenant) -> None:
    headers = tenant_a.auth | {"Idempotency-Key": "k"}
    first = notes.post("/v1/notes", json={"text": "hi"}, headers=headers)
    again = notes.post("/v1/notes", json={"text": "hi"}, headers=headers)
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert notes.post("/v1/notes", json={"text": "other"}, headers=headers).status_code == 422


def test_without_credentials_the_key_is_not_even_looked_at(notes: TestClient) -> None:
    response = notes.post("/v1/notes", json={"text": "hi"}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 401
