"""AWS calls per operation: every operation id in the route registry, called through the local app.

A fixture tenant signs up first, which also warms the process caches (the signing-key secret, PynamoDB's connection,
the tenant's and the platform's data and blind-index keys): the counts are what a warm function makes per request.
Locally the authorizer runs in-process; its cache of live access is warmed before each request
(tests/support/authorizer_calls.py counts the authorizer's own calls), so the counts are the route's own. An
operation's request is set up by its context (``BENCH_REQUESTS`` in its ``testing.py``, see
``atrium.kernel.testing``); one not listed is sent bare, and if that is wrong, its status shows a 4xx. An operation
declared ``step_up`` is sent with its token stepped up just before, unmeasured.

Each row also carries what the bench's cost model (bench/cost.py) needs: the time of every request, and for each
DynamoDB call the items it read or wrote and how (tests/support/aws_hook.py). The bench sends each request several
times (fresh set-up each time) for a median; the test of the call budgets sends it once.
"""

import time
from dataclasses import asdict
from itertools import count
from typing import Any

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.access_state import forget_cached_access
from atrium.identity.authorizer import authenticate
from atrium.identity.developers.testing import developer_auth, verified_developer
from atrium.identity.operator.testing import operator_auth
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.store import data_keys
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.testing import Request
from tests.support.aws_hook import AwsCall, recording_aws_calls
from tests.support.iam_leading_keys import SignedCall, install, recording_signed_calls
from tests.support.people import PASSWORD
from tests.support.step_up import stepped_up


class Fixture:
    """A signed-up tenant and the client: what the per-operation set-ups draw on (``atrium.kernel.testing.Fixture``)."""

    password = PASSWORD

    def __init__(self, client: TestClient) -> None:
        install()  # before the sign-up assumes the tenant's session: the signers are known by their AssumeRole
        self.client = client
        self._numbers = count(1)
        self._developer: dict[str, str] | None = None
        signed_up, self.auth = self.new_user()
        self.email: str = signed_up["user"]["email"]
        self.token: str = signed_up["access_token"]
        self.tenant_id: str = signed_up["tenant"]["id"]
        with tenant_scope(self.tenant_id):  # its keys made and held, as a warm function holds them
            data_keys.current_key(self.tenant_id)
            data_keys.index_key(self.tenant_id)

    def new_signup(self) -> dict[str, Any]:
        return {"tenant_name": "Bench", "email": f"user{next(self._numbers)}@bench.example", "password": PASSWORD}

    def new_user(self) -> tuple[dict[str, Any], dict[str, str]]:
        response = self.client.post("/v1/signup", json=self.new_signup())
        response.raise_for_status()
        return response.json(), {"Authorization": f"Bearer {response.json()['access_token']}"}

    def unique(self, prefix: str) -> str:
        return f"{prefix}-{next(self._numbers)}"

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body, headers=self.auth)
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        return created

    def step_up(self, auth: dict[str, str] | None = None) -> dict[str, str]:
        return stepped_up(self.client, auth or self.auth, password=self.password)

    def etag(self, path: str) -> str:
        response = self.client.get(path, headers=self.auth)
        response.raise_for_status()
        etag: str = response.headers["etag"]
        return etag

    def developer_auth(self) -> dict[str, str]:
        if self._developer is None:
            self._developer = developer_auth(verified_developer(self.client, f"{self.unique('dev')}@bench.example"))
        return self._developer

    def operator_auth(self) -> dict[str, str]:
        return operator_auth(self)  # one per fixture


def _bare(_fixture: object, _spec: RouteSpec) -> Request:
    return Request()


def is_rate_limit(call: AwsCall) -> bool:
    """The rate limiter's count of the request (``kernel/http/rate_limits.py``): its window items' keys name them."""
    if call.service != "dynamodb" or call.operation != "UpdateItem":
        return False
    return "RateWindow#" in call.params.get("Key", {}).get("pk", {}).get("S", "")


def _signers(calls: list[SignedCall]) -> dict[str, int]:
    """Who signed the request's DynamoDB calls (the rate limiter's included): how many there were, how many a
    tenant's session signed, how many named a tenant's items, and how many IAM would refuse its signer."""
    return {"calls": len(calls), "tenant_session": sum(call.tenant is not None for call in calls),
            "tenant_data": sum(call.names_tenant_data for call in calls),
            "refused": sum(not call.allowed for call in calls)}


def _dynamodb_facts(calls: list[AwsCall]) -> list[dict[str, Any]]:
    return [{"operation": call.operation, "seconds": call.seconds, "transact_items": call.transact_items,
             "consistent_read": call.consistent_read, "items": [asdict(touch) for touch in call.touched()]}
            for call in calls if call.service == "dynamodb"]


def measure(fixture: Fixture, repeats: int = 1, operations: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per operation (``operations``: the operation ids to measure; None: every one); idempotent operations
    get a second row with an ``Idempotency-Key``.

    A row: ``operation_id``, ``request``, ``status``, ``calls`` ([service, operation] of the first request, but
    the rate limiter's), ``public``, ``elapsed_s`` (one per request), ``aws_s`` (of which inside AWS calls),
    ``dynamodb`` (the first request's DynamoDB calls in detail, but the rate limiter's), ``rate_limit`` (the rate
    limiter's, in detail), ``signers`` (who signed the first request's DynamoDB calls, see ``_signers``) and
    ``calls_vary`` (whether a later request made other calls).
    """
    setups = manifest.bench_requests()
    rows = []
    for spec in manifest.routes():
        if operations is not None and spec.operation_id not in operations:
            continue
        for idempotent in (False, True) if spec.idempotent else (False,):
            statuses, elapsed, recorded, signed = [], [], [], []
            for number in range(repeats):
                request = setups.get(spec.operation_id, _bare)(fixture, spec)
                headers = ({} if spec.is_public else fixture.auth) | request.headers
                if spec.step_up:  # unmeasured, as the set-up is
                    headers |= fixture.step_up(headers)
                if idempotent:  # a fresh key each time: every request is a first use
                    headers["Idempotency-Key"] = f"bench-{spec.operation_id}-{number}"
                if not spec.is_public:  # the authorizer's own calls are not the route's: a fresh cache entry
                    forget_cached_access()  # (a warm one could expire between this check and the request)
                    authenticate(headers["Authorization"])
                with recording_aws_calls() as calls, recording_signed_calls() as signers:
                    started = time.perf_counter()
                    response = fixture.client.request(spec.method, request.path or spec.path, json=request.body,
                                                      headers=headers, follow_redirects=False)
                    elapsed.append(time.perf_counter() - started)
                statuses.append(response.status_code)
                recorded.append(list(calls))
                signed.append(list(signers))
            label = f"{spec.method} {spec.path}" + (" + Idempotency-Key" if idempotent else "")
            shapes = {tuple((call.service, call.operation) for call in calls) for calls in recorded}
            own = [call for call in recorded[0] if not is_rate_limit(call)]
            rows.append({"operation_id": spec.operation_id, "request": label,
                         "status": max(statuses, key=lambda status: (not 200 <= status < 400, status)),
                         "calls": [[call.service, call.operation] for call in own],
                         "public": spec.is_public, "elapsed_s": elapsed,
                         "aws_s": [sum(call.seconds for call in calls) for calls in recorded],
                         "dynamodb": _dynamodb_facts(own),
                         "rate_limit": _dynamodb_facts([call for call in recorded[0] if is_rate_limit(call)]),
                         "signers": _signers(signed[0]),
                         "calls_vary": len(shapes) > 1})
    return rows
