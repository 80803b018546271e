"""AWS calls per operation: every operation id in the route registry, called once through the local app.

The counting runs in a process of its own (``python -m bench.aws_calls``, against the run's moto server), so
neither the parent's moto server thread nor the clients it made while provisioning are counted. A fixture
tenant signs up first, which also warms the process caches (the signing-key secret, PynamoDB's connection):
the counts are what a warm function makes per request. Locally the authorizer runs in-process; with its
secret cached it makes no AWS call, so the counts are the route's own.
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel.http.routing import RouteSpec
from atrium.local.devserver import local_app
from bench.aws_hook import describe, recording_aws_calls
from bench.moto_world import PASSWORD, MotoWorld
from bench.report import Table
from bench.spawn import run_child


@dataclass(frozen=True)
class Request:
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Fixture:
    """A signed-up tenant and the client: what the per-operation set-up draws on."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._numbers = count(1)
        response = client.post("/v1/signup", json=self.new_signup())
        response.raise_for_status()
        self.auth = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def new_signup(self) -> dict[str, Any]:
        return {"tenant_name": "Bench", "email": f"user{next(self._numbers)}@bench.example", "password": PASSWORD}

    def etag(self, path: str) -> str:
        response = self.client.get(path, headers=self.auth)
        response.raise_for_status()
        etag: str = response.headers["etag"]
        return etag


# What an operation needs beyond its method, its path and the fixture tenant's token: the one place to add
# a new operation's request. An operation not listed is sent bare; if that is wrong, its status shows a 4xx.
REQUEST_SETUP: dict[str, Callable[[Fixture, RouteSpec], Request]] = {
    "identity.signup": lambda fixture, _: Request(body=fixture.new_signup()),
    "identity.update_tenant": lambda fixture, spec: Request(body={"name": "Bench renamed"},
                                                            headers={"If-Match": fixture.etag(spec.path)}),
}


def _bare(_fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request()


def measure() -> list[dict[str, Any]]:
    """One row per operation; idempotent operations get a second row with an ``Idempotency-Key``."""
    rows = []
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        fixture = Fixture(client)
        for spec in manifest.routes():
            for idempotency_key in (None, f"bench-{spec.operation_id}") if spec.idempotent else (None,):
                request = REQUEST_SETUP.get(spec.operation_id, _bare)(fixture, spec)
                headers = request.headers | ({} if spec.is_public else fixture.auth)
                if idempotency_key:
                    headers["Idempotency-Key"] = idempotency_key
                with recording_aws_calls() as calls:
                    response = client.request(spec.method, spec.path, json=request.body, headers=headers)
                label = f"{spec.method} {spec.path}" + (" + Idempotency-Key" if idempotency_key else "")
                rows.append({"operation_id": spec.operation_id, "request": label,
                             "status": response.status_code,
                             "calls": [[call.service, call.operation] for call in calls]})
    return rows


@dataclass(frozen=True)
class AwsCalls:
    rows: list[dict[str, Any]]

    def dynamodb(self, row: dict[str, Any]) -> list[str]:
        return [operation for service, operation in row["calls"] if service == "dynamodb"]

    def table(self) -> Table:
        return Table(
            "AWS calls per operation (every operation id in manifest.routes(), one warm request each)",
            ("operation id", "request", "status", "DynamoDB calls", "other AWS calls"),
            [(row["operation_id"], row["request"], str(row["status"]), describe(self.dynamodb(row)),
              describe(f"{service}:{operation}" for service, operation in row["calls"] if service != "dynamodb"))
             for row in self.rows],
            notes=("Counted by wrapping botocore's BaseClient._make_api_call, which boto3 and PynamoDB both use.",
                   "Requests go through the local app (every route, authorizer in-process) in a warm process: "
                   "a cold function also reads the signing-key secret once where it needs it."),
        )


def run(world: MotoWorld) -> AwsCalls:
    rows: list[dict[str, Any]] = run_child("bench.aws_calls", {}, world.child_env()).result["rows"]
    return AwsCalls(rows)


def main() -> None:
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump({"rows": measure()}, out)


if __name__ == "__main__":
    main()
