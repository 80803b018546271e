"""AWS calls per operation: every operation id in the route registry, called through the local app.

The counting runs in a process of its own (``python -m bench.aws_calls``, against the run's moto server), so
neither the parent's moto server thread nor the clients it made while provisioning are counted. A fixture
tenant signs up first, which also warms the process caches (the signing-key secret, PynamoDB's connection):
the counts are what a warm function makes per request. Locally the authorizer runs in-process; its cache of
live access is warmed before each request (``authorizer_calls`` counts the authorizer's own calls), so the
counts are the route's own.

Each row also carries what the cost model (bench/cost.py) needs: the time of every request, measured around
it in this warm process, and for each DynamoDB call the items it read or wrote and how (tests/support/aws_hook.py).
The bench sends each request several times (fresh set-up each time) for a median; the test of the call
budgets sends it once.
"""

import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import count
from typing import Any, cast

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi.testclient import TestClient

from atrium import manifest
from atrium.identity.access_state import forget_cached_access
from atrium.identity.authorizer import authenticate
from atrium.kernel.config import settings
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tenancy import tenant_scope
from atrium.webhooks.messages import message_deliveries
from atrium_local.devserver import local_app
from atrium_local.lambda_context import LocalContext
from bench import certificate_requests, comment_requests, job_requests, member_requests, webhook_requests
from bench.account_setup import ACCOUNT_SETUP
from bench.moto_world import PASSWORD, MotoWorld
from bench.proof_requests import PROOF_SETUP
from bench.proof_version_requests import PROOF_VERSION_SETUP
from bench.report import Table
from bench.scale import Scale
from bench.spawn import run_child
from bench.template_requests import TEMPLATE_SETUP
from tests.support.aws_hook import AwsCall, describe, recording_aws_calls

SIDE_SAMPLES = 101  # authorizer invocations and client creations timed for the cost model


@dataclass(frozen=True)
class Request:
    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)  # an Authorization here replaces the fixture's
    path: str | None = None  # the route's path with its parameters filled in


class Fixture:
    """A signed-up tenant and the client: what the per-operation set-up draws on."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._numbers = count(1)
        owner = self.new_signup()
        response = client.post("/v1/signup", json=owner)
        response.raise_for_status()
        self.email = owner["email"]
        self.token = response.json()["access_token"]
        self.tenant_id = response.json()["tenant"]["id"]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        self.endpoints: list[str] = []  # webhook endpoints the set-ups made, newest last

    def new_signup(self) -> dict[str, Any]:
        return {"tenant_name": "Bench", "email": f"user{next(self._numbers)}@bench.example", "password": PASSWORD}

    def new_user(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Another tenant's owner (signup body, auth): for account operations that change or end its session."""
        body = self.new_signup()
        response = self.client.post("/v1/signup", json=body)
        response.raise_for_status()
        return response.json(), {"Authorization": f"Bearer {response.json()['access_token']}"}

    def new_user_with_mfa(self) -> tuple[dict[str, Any], dict[str, str], list[str]]:
        """Another owner with TOTP on; also its recovery codes."""
        import pyotp

        user, auth = self.new_user()
        secret = self.client.post("/v1/me/mfa/totp", headers=auth).json()["secret"]
        response = self.client.post("/v1/me/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=auth)
        response.raise_for_status()
        return user, auth, response.json()["recovery_codes"]

    def login(self) -> dict[str, str]:
        """A fresh session of the fixture's owner: its tokens."""
        response = self.client.post("/v1/auth/login", json={"email": self.email, "password": PASSWORD})
        response.raise_for_status()
        tokens: dict[str, str] = response.json()
        return tokens

    def session_id(self, tokens: dict[str, str]) -> str:
        response = self.client.get("/v1/sessions", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        response.raise_for_status()
        return str(next(s["id"] for s in response.json()["data"] if s["current"]))

    def unique(self, prefix: str) -> str:
        return f"{prefix}-{next(self._numbers)}"

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body, headers=self.auth)
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        return created

    def new_tenant(self) -> str:
        response = self.client.post("/v1/signup", json=self.new_signup())
        response.raise_for_status()
        tenant_id: str = response.json()["tenant"]["id"]
        return tenant_id

    @cached_property
    def operator_login(self) -> dict[str, str]:
        from atrium.operator.accounts import create_operator

        create_operator("ops@bench.example", "operator_admin", PASSWORD)
        return {"email": "ops@bench.example", "password": PASSWORD}

    @cached_property
    def operator_auth(self) -> dict[str, str]:
        response = self.client.post("/v1/operator/auth/login", json=self.operator_login)
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def suspended_tenant(self) -> str:
        tenant_id = self.new_tenant()
        response = self.client.post(f"/v1/operator/tenants/{tenant_id}/suspend", json={"reason": "Bench"},
                                    headers=self.operator_auth)
        response.raise_for_status()
        return tenant_id

    def audit_event_id(self) -> str:
        response = self.client.get("/v1/audit-events", params={"limit": 1}, headers=self.auth)
        response.raise_for_status()
        event_id: str = response.json()["data"][0]["id"]
        return event_id

    def etag(self, path: str) -> str:
        response = self.client.get(path, headers=self.auth)
        response.raise_for_status()
        etag: str = response.headers["etag"]
        return etag


NEW_TOKEN = {"name": "Bench", "scopes": ["tenant:read"]}


def _new_role(fixture: Fixture) -> dict[str, Any]:
    return {"name": fixture.unique("bench"), "permissions": ["tenant:read"]}


def _role_path(fixture: Fixture) -> str:
    return f"/v1/roles/{fixture.post('/v1/roles', _new_role(fixture))['name']}"


def _token_path(fixture: Fixture) -> str:
    return f"/v1/api-tokens/{fixture.post('/v1/api-tokens', NEW_TOKEN)['id']}"


NEW_ENDPOINT = {"url": "https://example.com/bench", "event_types": ["member.joined"]}


def _endpoint_path(fixture: Fixture) -> str:
    """A new endpoint. A tenant holds at most 50, so the one an earlier set-up made goes first (unmeasured;
    404 when the measured request deleted it)."""
    while fixture.endpoints:
        fixture.client.delete(fixture.endpoints.pop(), headers=fixture.auth)
    fixture.endpoints.append(f"/v1/webhook-endpoints/{fixture.post('/v1/webhook-endpoints', NEW_ENDPOINT)['id']}")
    return fixture.endpoints[-1]


def _test_message(fixture: Fixture, endpoint_path: str | None = None) -> str:
    sent = fixture.post((endpoint_path or _endpoint_path(fixture)) + "/test", {})
    return str(sent["message_ids"][0])


def _message_retry(fixture: Fixture) -> Request:
    """A resend of a test message to its endpoint, left as delivered (no delivery consumer runs here)."""
    endpoint_path = _endpoint_path(fixture)
    message_id = _test_message(fixture, endpoint_path)
    with tenant_scope(fixture.tenant_id):
        for delivery in message_deliveries(fixture.tenant_id, message_id):
            delivery.status = "succeeded"
            delivery.save()
    return Request(path=f"/v1/webhook-messages/{message_id}/retry",
                   body={"endpoint_id": endpoint_path.rsplit("/", 1)[1]})


# What an operation needs beyond its method, its path and the fixture tenant's token: the one place to add
# a new operation's request. An operation not listed is sent bare; if that is wrong, its status shows a 4xx.
REQUEST_SETUP: dict[str, Callable[[Fixture, RouteSpec], Request]] = {
    "identity.signup": lambda fixture, _: Request(body=fixture.new_signup()),
    "identity.update_tenant": lambda fixture, spec: Request(body={"name": "Bench renamed"},
                                                            headers={"If-Match": fixture.etag(spec.path)}),
    "identity.login": lambda fixture, _: Request(body={"email": fixture.email, "password": PASSWORD}),
    "identity.refresh": lambda fixture, _: Request(body={"refresh_token": fixture.login()["refresh_token"]}),
    "identity.logout": lambda fixture, _: Request(headers=_bearer(fixture.login())),
    "identity.revoke_session": lambda fixture, _: Request(path=f"/v1/sessions/{fixture.session_id(fixture.login())}"),
    **ACCOUNT_SETUP,
    "members.get_user": lambda fixture, _: Request(path=f"/v1/users/{member_requests.member_id(fixture)}"),
    "members.update_user": lambda fixture, _: _member_update(fixture),
    "members.delete_user": lambda fixture, _: Request(path=f"/v1/users/{member_requests.member_id(fixture)}"),
    "members.create_invitation": lambda fixture, _: Request(body=member_requests.new_invitation(fixture)),
    "members.delete_invitation": lambda fixture, _: Request(
        path=f"/v1/invitations/{member_requests.invitation_id(fixture)}"),
    "members.accept_invitation": lambda fixture, _: Request(body=member_requests.accept_body(fixture)),
    "access.create_role": lambda fixture, _: Request(body=_new_role(fixture)),
    "access.get_role": lambda fixture, _: Request(path=_role_path(fixture)),
    "access.update_role": lambda fixture, _: Request(path=_role_path(fixture), body={"description": "Renamed"},
                                                     headers={"If-Match": '"1"'}),
    "access.delete_role": lambda fixture, _: Request(path=_role_path(fixture)),
    "access.create_api_token": lambda fixture, _: Request(body=NEW_TOKEN),
    "access.get_api_token": lambda fixture, _: Request(path=_token_path(fixture)),
    "access.rotate_api_token": lambda fixture, _: Request(path=_token_path(fixture) + "/rotate"),
    "access.revoke_api_token": lambda fixture, _: Request(path=_token_path(fixture)),
    "webhooks.create_webhook_endpoint": lambda fixture, _: Request(body=NEW_ENDPOINT),
    "webhooks.get_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture)),
    "webhooks.update_webhook_endpoint": lambda fixture, _: Request(
        path=_endpoint_path(fixture), body={"description": "Bench"}, headers={"If-Match": '"1"'}),
    "webhooks.delete_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture)),
    "webhooks.get_webhook_endpoint_secret": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/secret"),
    "webhooks.rotate_webhook_endpoint_secret": lambda fixture, _: Request(
        path=_endpoint_path(fixture) + "/rotate-secret"),
    "webhooks.list_webhook_deliveries": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/deliveries"),
    "webhooks.get_webhook_message": lambda fixture, _: Request(path=f"/v1/webhook-messages/{_test_message(fixture)}"),
    "webhooks.retry_webhook_message": lambda fixture, _: _message_retry(fixture),
    "webhooks.recover_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/recover",
                                                                    body={"since": "2026-01-01T00:00:00Z"}),
    "webhooks.test_webhook_endpoint": lambda fixture, _: Request(path=_endpoint_path(fixture) + "/test", body={}),
    "audit.get_event": lambda fixture, _: Request(path=f"/v1/audit-events/{fixture.audit_event_id()}"),
    "audit.create_export": lambda fixture, _: Request(body={"from": "2026-01-01T00:00:00Z",
                                                            "to": "2030-01-01T00:00:00Z"}),
    "audit.download_export": job_requests.finished_export,
    "audit.update_settings": lambda fixture, spec: Request(body={"retention_days": 400},
                                                           headers={"If-Match": fixture.etag(spec.path)}),
    "jobs.get_job": job_requests.failed_job,
    "jobs.retry_job": job_requests.failed_job,
    "mail.update_branding": lambda fixture, spec: Request(body={"sender_name": "Bench", "brand_color": "#0a66c2"},
                                                          headers={"If-Match": fixture.etag(spec.path)}),
    "mail.update_email_preferences": lambda fixture, _: Request(body={"categories": {"product": False}}),
    "mail.unsubscribe": lambda fixture, spec: Request(path=f"{spec.path}?token={_unsubscribe_token(fixture)}"),
    "operator.login": lambda fixture, _: Request(body=fixture.operator_login),
    "operator.list_tenants": lambda fixture, _: Request(headers=fixture.operator_auth),
    "operator.get_tenant": lambda fixture, spec: Request(headers=fixture.operator_auth,
                                                         path=spec.path.format(tenant_id=fixture.tenant_id)),
    "operator.suspend_tenant": lambda fixture, spec: Request(
        body={"reason": "Bench"}, headers=fixture.operator_auth, path=spec.path.format(tenant_id=fixture.new_tenant())),
    "operator.reactivate_tenant": lambda fixture, spec: Request(
        headers=fixture.operator_auth, path=spec.path.format(tenant_id=fixture.suspended_tenant())),
    "webhooks.create_inbound_hook": lambda fixture, _: Request(body=webhook_requests.NEW_HOOK),
    "webhooks.get_inbound_hook": webhook_requests.hook_path,
    "webhooks.delete_inbound_hook": webhook_requests.hook_path,
    "webhooks.receive_inbound_hook": webhook_requests.signed_inbound_call,
    "webhooks.receive_stripe_event": webhook_requests.signed_stripe_event,
    **PROOF_SETUP,
    **PROOF_VERSION_SETUP,
    "proofs.get_proof_certificate": certificate_requests.issued_certificate,
    "proofs.create_proof_comment": comment_requests.new_comment,
    "proofs.list_proof_comments": comment_requests.comments,
    "proofs.update_proof_comment": comment_requests.comment_edit,
    "proofs.delete_proof_comment": comment_requests.comment,
    **TEMPLATE_SETUP,
}


def _unsubscribe_token(fixture: Fixture) -> str:
    """The token of a List-Unsubscribe link to the fixture's owner, as the mail service mints it."""
    from atrium.mail.categories import Category
    from atrium.mail.preferences import unsubscribe_token

    user_id = fixture.client.get("/v1/me", headers=fixture.auth).json()["user"]["id"]
    return unsubscribe_token(fixture.tenant_id, user_id, Category.PRODUCT)


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _member_update(fixture: Fixture) -> Request:
    path = f"/v1/users/{member_requests.member_id(fixture)}"
    return Request(body={"roles": [{"role": "viewer"}]}, headers={"If-Match": fixture.etag(path)}, path=path)


def _bare(_fixture: Fixture, _spec: RouteSpec) -> Request:
    return Request()


def _dynamodb_facts(calls: list[AwsCall]) -> list[dict[str, Any]]:
    return [{"operation": call.operation, "seconds": call.seconds, "transact_items": call.transact_items,
             "consistent_read": call.consistent_read, "items": [asdict(touch) for touch in call.touched()]}
            for call in calls if call.service == "dynamodb"]


def measure(repeats: int = 1, operations: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per operation; idempotent operations get a second row with an ``Idempotency-Key``.

    A row: ``operation_id``, ``request``, ``status``, ``calls`` ([service, operation] of the first request),
    ``public``, ``elapsed_s`` (one per request), ``aws_s`` (of which inside AWS calls), ``dynamodb`` (the first
    request's DynamoDB calls in detail) and ``calls_vary`` (whether a later request made other calls).
    """
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        return _measure(Fixture(client), repeats, operations)


def _measure(fixture: Fixture, repeats: int, operations: list[str] | None) -> list[dict[str, Any]]:
    """``operations``: the operation ids to measure (None: every one)."""
    rows = []
    for spec in manifest.routes():
        if operations is not None and spec.operation_id not in operations:
            continue
        for idempotent in (False, True) if spec.idempotent else (False,):
            statuses, elapsed, recorded = [], [], []
            for number in range(repeats):
                request = REQUEST_SETUP.get(spec.operation_id, _bare)(fixture, spec)
                headers = ({} if spec.is_public else fixture.auth) | request.headers
                if idempotent:  # a fresh key each time: every request is a first use
                    headers["Idempotency-Key"] = f"bench-{spec.operation_id}-{number}"
                if not spec.is_public:  # the authorizer's own calls are not the route's: a fresh cache entry
                    forget_cached_access()  # (a warm one could expire between this check and the request)
                    authenticate(headers["Authorization"])
                with recording_aws_calls() as calls:
                    started = time.perf_counter()
                    response = fixture.client.request(spec.method, request.path or spec.path, json=request.body,
                                                      headers=headers, follow_redirects=False)
                    elapsed.append(time.perf_counter() - started)
                statuses.append(response.status_code)
                recorded.append(list(calls))
            label = f"{spec.method} {spec.path}" + (" + Idempotency-Key" if idempotent else "")
            shapes = {tuple((call.service, call.operation) for call in calls) for calls in recorded}
            rows.append({"operation_id": spec.operation_id, "request": label,
                         "status": max(statuses, key=lambda status: (not 200 <= status < 400, status)),
                         "calls": [[call.service, call.operation] for call in recorded[0]],
                         "public": spec.is_public, "elapsed_s": elapsed,
                         "aws_s": [sum(call.seconds for call in calls) for calls in recorded],
                         "dynamodb": _dynamodb_facts(recorded[0]), "calls_vary": len(shapes) > 1})
    return rows


def _time(action: Callable[[], object], samples: int) -> list[float]:
    for _ in range(3):  # warm-up
        action()
    seconds = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


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

    def table(self) -> Table:
        measured, declared = len({row["operation_id"] for row in self.rows}), len(manifest.routes())
        scope = "every operation id" if measured == declared else f"{measured} of the {declared} operation ids"
        return Table(
            f"AWS calls per operation ({scope} in manifest.routes(), warm requests)",
            ("operation id", "request", "status", "median ms", "DynamoDB calls", "other AWS calls"),
            [(row["operation_id"], row["request"], str(row["status"]),
              f"{statistics.median(row['elapsed_s']) * 1000:.2f}", describe(self.dynamodb(row)),
              describe(f"{service}:{operation}" for service, operation in row["calls"] if service != "dynamodb"))
             for row in self.rows],
            notes=("Counted by wrapping botocore's BaseClient._make_api_call, which boto3 and PynamoDB both use.",
                   "Requests go through the local app (every route, authorizer in-process) in a warm process: "
                   "a cold function also reads the signing-key secret once where it needs it.",
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
        rows = _measure(fixture, repeats, job.get("operations"))
    result = {"rows": rows, "authorizer_s": measure_authorizer(fixture.token, samples),
              "role_client_s": measure_role_client(samples)}
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
