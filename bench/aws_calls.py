"""AWS calls per operation (tests/support/operation_calls.py), with what the cost model needs beside them.

The counting runs in a process of its own (``python -m bench.aws_calls``, against the run's moto server), so
neither the parent's moto server thread nor the clients it made while provisioning are counted. Beside the rows,
it times the warm authorizer and the client creations of an alternative design (bench/cost.py uses them).
"""

import json
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel.config import settings
from atrium_local.devserver import local_app
from atrium_local.lambda_context import LocalContext
from bench.moto_world import MotoWorld
from bench.report import Table
from bench.scale import Scale
from bench.spawn import run_child
from bench.stats import timed
from tests.support.aws_hook import describe, recording_aws_calls
from tests.support.operation_calls import Fixture, measure

SIDE_SAMPLES = 101  # authorizer invocations and client creations timed for the cost model


def _time(action: Callable[[], object], samples: int) -> list[float]:
    for _ in range(3):  # warm-up
        action()
    return timed(action, samples)


def measure_authorizer(token: str, samples: int) -> list[float]:
    """The Lambda authorizer's handler (Powertools wrappers included), warm, on the fixture's access token."""
    from atrium.identity import authorizer

    event = {"type": "REQUEST", "routeKey": "GET /v1/tenant", "headers": {"authorization": f"Bearer {token}"}}
    context = cast(LambdaContext, LocalContext("authorizer"))
    if not authorizer.handler(event, context).get("isAuthorized"):
        raise RuntimeError("the authorizer refused the fixture's token")
    with recording_aws_calls() as calls:
        seconds = _time(lambda: authorizer.handler(event, context), samples)
    if calls:
        raise RuntimeError(f"the warm authorizer made AWS calls: {describe(c.operation for c in calls)}")
    return seconds


def measure_role_client(samples: int) -> list[float]:
    """What a function assuming a tenant role per request must also do each time: make a DynamoDB client with
    the role's temporary credentials (the reference solution calls ``boto3.resource('dynamodb', ...)`` per
    request). No AWS call is made; the credentials are placeholders."""
    table = settings().table_name

    def client() -> object:
        return boto3.resource("dynamodb", aws_access_key_id="ASIABENCH", aws_secret_access_key="bench",
                              aws_session_token="bench").Table(table)

    return _time(client, samples)


@dataclass(frozen=True)
class AwsCalls:
    rows: list[dict[str, Any]]
    authorizer_s: list[float] = field(default_factory=list)  # warm authorizer invocations
    role_client_s: list[float] = field(default_factory=list)  # per-request client creations (alternative design)

    def dynamodb(self, row: dict[str, Any]) -> list[str]:
        return [operation for service, operation in row["calls"] if service == "dynamodb"]

    @staticmethod
    def tenant_role(row: dict[str, Any]) -> str:
        signers = row["signers"]
        refused = f", {signers['refused']} refused" if signers["refused"] else ""
        return f"{signers['tenant_session']} of {signers['calls']}{refused}"

    def tenant_scoped_share(self) -> tuple[int, int]:
        """Of the DynamoDB calls naming a tenant's items, those its session signed; and how many there were."""
        under = sum(min(row["signers"]["tenant_data"], row["signers"]["tenant_session"]) for row in self.rows)
        return under, sum(row["signers"]["tenant_data"] for row in self.rows)

    def table(self) -> Table:
        measured, declared = len({row["operation_id"] for row in self.rows}), len(manifest.routes())
        scope = "every operation id" if measured == declared else f"{measured} of the {declared} operation ids"
        return Table(
            f"AWS calls per operation ({scope} in manifest.routes(), warm requests)",
            ("operation id", "request", "status", "median ms", "DynamoDB calls", "under the tenant role",
             "other AWS calls"),
            [(row["operation_id"], row["request"], str(row["status"]),
              f"{statistics.median(row['elapsed_s']) * 1000:.2f}", describe(self.dynamodb(row)),
              self.tenant_role(row),
              describe(f"{service}:{operation}" for service, operation in row["calls"] if service != "dynamodb"))
             for row in self.rows],
            notes=("Counted by wrapping botocore's BaseClient._make_api_call, which boto3 and PynamoDB both use.",
                   "Requests go through the local app (every route, authorizer in-process) in a warm process: "
                   "a cold function also reads the signing-key secret once where it needs it.",
                   "under the tenant role: of the request's DynamoDB calls (the rate limiter's included), those a "
                   "session of the tenant data role signed (kernel/store/tenant_credentials.py); a call outside any "
                   "tenant scope (sign-in before the tenant is known, an operator's) is signed by the function's own "
                   "role, which reaches global items only.",
                   f"median ms: {len(self.rows[0]['elapsed_s']) if self.rows else 0} requests per row, each timed "
                   "around the test client's request (so it includes the in-process authorizer check and the "
                   "client's transport); the calls are the first request's."),
        )


def run(world: MotoWorld, scale: Scale) -> AwsCalls:
    job = {"repeats": scale.repeats, "samples": SIDE_SAMPLES if not scale.smoke else 5,
           "operations": list(scale.operations) if scale.operations else None}
    result = run_child("bench.aws_calls", job, world.child_env()).result
    return AwsCalls(result["rows"], result["authorizer_s"], result["role_client_s"])


def main() -> None:
    job = json.loads(os.environ.get("BENCH_JOB", "{}"))
    repeats, samples = job.get("repeats", 1), job.get("samples", SIDE_SAMPLES)
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        fixture = Fixture(client)
        rows = measure(fixture, repeats, job.get("operations"))
    if refused := [row["request"] for row in rows if row["signers"]["refused"]]:
        raise RuntimeError(f"calls signed by a principal IAM would refuse (see tests/support/iam_leading_keys.py): "
                           f"{refused}")
    result = {"rows": rows, "authorizer_s": measure_authorizer(fixture.token, samples),
              "role_client_s": measure_role_client(samples)}
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
