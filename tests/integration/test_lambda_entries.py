"""The Lambda entry modules, invoked with the event shapes AWS sends."""

import importlib
import json
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from atrium import manifest
from atrium.identity.access.roles import BUILT_IN_ROLES, ROLE_SCOPES
from atrium.identity.schemas import SignupRequest
from atrium.identity.signup import signup
from atrium.kernel import ids
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium_local.lambda_context import LocalContext
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from tests.support.people import PASSWORD, add_member


def _entry(module: str, monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop(module, None)
    return importlib.import_module(module)


def http_event(method: str, path: str, *, body: dict[str, Any] | None = None, principal: str | None = None,
               headers: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event, as a route function receives it."""
    context: dict[str, Any] = {"accountId": "123456789012", "apiId": "api", "domainName": "api.example.com",
                               "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                        "sourceIp": "203.0.113.9", "userAgent": "test"},
                               "requestId": "req-1", "routeKey": f"{method} {path}", "stage": "$default",
                               "time": "22/Nov/2026:00:00:00 +0000", "timeEpoch": 0}
    if principal:
        context["authorizer"] = {"lambda": {"principal": principal}}
    return {"version": "2.0", "routeKey": f"{method} {path}", "rawPath": path, "rawQueryString": "",
            "headers": {"content-type": "application/json"} | (headers or {}), "requestContext": context,
            "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False}


def test_route_function_serves_only_its_route(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    api = _entry("api", monkeypatch, ATRIUM_ROUTE="system.health")
    ok = api.handler(http_event("GET", "/v1/health"), LocalContext("health"))
    assert ok["statusCode"] == 200 and json.loads(ok["body"])["status"] == "ok"
    other = api.handler(http_event("GET", "/v1/tenant"), LocalContext("health"))
    assert other["statusCode"] == 404
    assert other["isBase64Encoded"] is False  # problem bodies stay readable text
    assert json.loads(other["body"])["status"] == 404


def test_route_function_takes_the_principal_from_the_authorizer(aws: Provisioned,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    signup = _entry("api", monkeypatch, ATRIUM_ROUTE="identity.signup")
    created = signup.handler(http_event("POST", "/v1/signup", body={
        "tenant_name": "Acme", "email": "a@example.com", "password": "correct horse battery staple"}),
        LocalContext("signup"))
    assert created["statusCode"] == 201
    body = json.loads(created["body"])
    authorizer = _entry("authorizer", monkeypatch)
    decision = authorizer.handler({"headers": {"authorization": f"Bearer {body['access_token']}"}},
                                  LocalContext("authorizer"))
    assert decision["isAuthorized"] is True
    get_tenant = _entry("api", monkeypatch, ATRIUM_ROUTE="identity.get_tenant")
    response = get_tenant.handler(http_event("GET", "/v1/tenant", principal=decision["context"]["principal"]),
                                  LocalContext("get_tenant"))
    assert response["statusCode"] == 200 and json.loads(response["body"])["id"] == body["tenant"]["id"]
    # Without the authorizer's context the route function has no principal and refuses.
    assert get_tenant.handler(http_event("GET", "/v1/tenant"), LocalContext("get_tenant"))["statusCode"] == 401


@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic x"])
def test_authorizer_refuses_bad_credentials(aws: Provisioned, monkeypatch: pytest.MonkeyPatch,
                                            authorization: str | None) -> None:
    authorizer = _entry("authorizer", monkeypatch)
    headers = {"authorization": authorization} if authorization else {}
    assert authorizer.handler({"headers": headers}, LocalContext("authorizer")) == {"isAuthorized": False}


def test_authorizer_context_carries_tenant_roles_and_permissions(aws: Provisioned,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    owner = signup(SignupRequest(tenant_name="T", email="o@example.com", password=PASSWORD), RequestInfo())
    viewer = add_member(owner.tenant.id, "viewer")
    decision = _entry("authorizer", monkeypatch).handler({"headers": {"authorization": f"Bearer {viewer.token}"}},
                                                         LocalContext("authorizer"))
    principal = json.loads(decision["context"]["principal"])
    assert principal["tenant_id"] == owner.tenant.id and principal["id"] == viewer.user_id
    assert principal["roles"] == ["viewer"] and principal["session_id"]
    assert set(principal["permissions"]) == BUILT_IN_ROLES["viewer"]


def test_a_scoped_members_scope_survives_the_hand_off_to_the_route_function(aws: Provisioned,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The authorizer serializes the principal into its context; the route function rebuilds it, scope and all."""
    owner = signup(SignupRequest(tenant_name="T", email="o@example.com", password=PASSWORD), RequestInfo())
    scoped_role, prefix = next(iter(ROLE_SCOPES.items()))
    scope = ids.new_id(prefix)
    member = add_member(owner.tenant.id, scoped_role, scope=scope)
    decision = _entry("authorizer", monkeypatch).handler({"headers": {"authorization": f"Bearer {member.token}"}},
                                                         LocalContext("authorizer"))
    assert json.loads(decision["context"]["principal"])["scope"] == scope
    me = _entry("api", monkeypatch, ATRIUM_ROUTE="access.me")
    response = me.handler(http_event("GET", "/v1/me", principal=decision["context"]["principal"]), LocalContext("me"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["roles"] == [scoped_role] and json.loads(response["body"])["scope"] == scope


# One fresh process per route function, forked from a parent that loaded what every entry loads before it picks
# its route (libraries, the manifest, the runtime adapter): whatever declarations those pulled in would show in
# every child too. What each route function's entry loads, without 100 interpreter start-ups.
_FORKING_PROBE = """
import json, os, sys
import aws_lambda_powertools, boto3, fastapi, mangum, pydantic, pynamodb
import atrium.manifest, atrium.kernel.runtime.api
kinds, contexts = set(json.loads(sys.argv[1])), set(atrium.manifest.CONTEXTS.values())
loaded = {}
for operation_id in sys.argv[2:]:
    read, write = os.pipe()
    if os.fork() == 0:
        os.close(read)
        os.environ["ATRIUM_ROUTE"] = operation_id
        import api
        with os.fdopen(write, "w") as out:
            json.dump(sorted(m for m in sys.modules if m.startswith("atrium.") and not m.startswith("atrium.kernel.")
                             and m.rpartition(".")[2] in kinds
                             and m not in contexts), out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        loaded[operation_id] = json.load(answer)
    os.wait()
print(json.dumps(loaded))
"""


def _declarations_loaded_by_route() -> dict[str, list[str]]:
    kinds = ["routes", "consumers", "jobs", "schedules"]
    operation_ids = [spec.operation_id for spec in manifest.routes()]
    result = subprocess.run([sys.executable, "-c", _FORKING_PROBE, json.dumps(kinds), *operation_ids],
                            capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": "shared:functions", "AWS_REGION": "us-east-1", "PATH": ""})
    loaded: dict[str, list[str]] = json.loads(result.stdout)
    return loaded


def test_every_route_function_imports_only_its_own_router() -> None:
    """Cold start is per route: a route function loads its context's routes modules (one per feature folder) and
    no other declarations (it may use another context's services, as identity uses access.roles). One test, so
    the probe runs once, whichever test process takes it."""
    loaded = _declarations_loaded_by_route()
    assert set(loaded) == {spec.operation_id for spec in manifest.routes()}
    wrong = {}
    for operation_id, modules in loaded.items():
        package = manifest.package_of(operation_id)
        if manifest.route(operation_id).endpoint.__module__ not in modules or not all(
                name.startswith(f"{package}.") and name.endswith(".routes") for name in modules):
            wrong[operation_id] = modules
    assert wrong == {}, "route functions loading another router's declarations (or not their own)"


def test_the_welcome_consumer_entry_handles_an_sqs_batch(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> None:
    envelope = {"id": "evt_01M80NEQ8V8WMTDAMZFMBRHY14", "type": "tenant.created", "version": 1, "tenant_id": "ten_1",
                "occurred_at": "2026-11-22T00:00:00Z", "actor": {"type": "user", "id": "usr_1"},
                "subject": {"type": "tenant", "id": "ten_1"},
                "data": {"tenant_id": "ten_1", "name": "Acme", "owner_user_id": "usr_1",
                         "owner_email": "o@example.com"}}
    body = json.dumps({"version": "0", "id": "eb-1", "detail-type": "tenant.created", "source": "atrium",
                       "detail": envelope})
    record = {"messageId": "m-1", "receiptHandle": "r-1", "body": body, "attributes": {"ApproximateReceiveCount": "1"},
              "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-1:1:q", "awsRegion": "us-east-1"}
    consumer = _entry("consumer", monkeypatch, ATRIUM_CONSUMER="identity.send_welcome_email")
    context = LocalContext("welcome")
    assert consumer.handler({"Records": [record]}, context) == {"batchItemFailures": []}
    assert consumer.handler({"Records": [record | {"messageId": "m-2"}]}, context) == {"batchItemFailures": []}
    assert [m["to"] for m in sent_mail()] == ["o@example.com"]  # the redelivery sent nothing


@pytest.mark.parametrize("name", [spec.name for spec in manifest.schedules()])
def test_every_job_entry_runs_with_the_scheduler_payload(name: str, aws: Provisioned,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    job = _entry("schedule", monkeypatch, ATRIUM_SCHEDULE=name)
    result = job.handler({"schedule": name, "scheduled_time": "2026-11-22T00:00:00Z"}, LocalContext(name))
    assert isinstance(result, dict) and result


def test_a_route_function_runs_only_the_services_its_endpoint_uses() -> None:
    """A context's routes load their services at first use (``kernel.lazy``): the function that reads a proof
    never runs the comment mail, the certificate PDF or the gallery, which other proofs routes use."""
    others = ["atrium.apps.proofs.comments.service", "atrium.apps.proofs.proofs.certificates",
              "atrium.apps.proofs.gallery.service", "atrium.mail.rendering", "jinja2", "fpdf"]
    probe = ("import sys, api; print([m for m, module in sys.modules.items() "
             f"if m in {others!r} and type(module).__name__ != '_LazyModule'])")
    def loaded(code: str) -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"ATRIUM_ROUTE": "proofs.get_proof", "PYTHONPATH": "shared:functions",
                                   "AWS_REGION": "us-east-1", "PATH": ""}).stdout

    assert loaded(probe).strip() == "[]"
    # An app of every route (the local stack) loads them all up front: lazy loading is not thread-safe.
    every_route = probe.replace("api;", "api, atrium.manifest; atrium.manifest.routes();")
    assert "atrium.apps.proofs.gallery.service" in loaded(every_route)
