"""Bad input gets a 4xx problem and writes nothing, in the local app and in a route function (Lambda)."""

import base64
import importlib
import json
import sys
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message

from atrium.kernel.config import settings
from atrium_local.lambda_context import LocalContext
from atrium_local.provision import Provisioned
from tests.api.conftest import PASSWORD, Tenant
from tests.integration.test_lambda_entries import http_event
from tests.support.table_items import items_but_rate_windows

LIMIT = settings().max_body_bytes
VALID = {"tenant_name": "Acme", "email": "bad@example.com", "password": PASSWORD}
NESTED_ARRAYS = "[" * 10_000 + "]" * 10_000
NESTED_OBJECTS = '{"a":' * 10_000 + "1" + "}" * 10_000
HUGE_QUERY = "q=" + "x" * 100_000
JSON = {"content-type": "application/json"}


def _items() -> list[dict[str, Any]]:
    return items_but_rate_windows()


def _body_of(size: int) -> str:
    """A signup body of exactly ``size`` bytes (its tenant name is far too long)."""
    base = json.dumps(VALID | {"tenant_name": ""})
    return base.replace('""', '"' + "x" * (size - len(base)) + '"', 1)


def _assert_problem(status: int, headers: Mapping[str, str], body: bytes | str, expected: int) -> dict[str, Any]:
    assert status == expected, body
    assert headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == expected and problem["type"].startswith("urn:atrium:problem:")
    return problem


def _parts(response: httpx.Response) -> tuple[int, Mapping[str, str], bytes]:
    return response.status_code, response.headers, response.content


def _send(app: ASGIApp, method: str, path: str, chunks: list[bytes], headers: dict[str, str],
          query: str = "") -> tuple[int, dict[str, str], bytes]:
    """One request straight to the ASGI app, for what the test client will not send: a body in several chunks,
    a lying Content-Length, a 100 KB query string, header bytes beyond ASCII."""
    incoming: list[Message] = [{"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
                               for n, chunk in enumerate(chunks)]
    outgoing: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        outgoing.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query.encode(),
             "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()],  # as servers pass them
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    anyio.run(app, scope, receive, send)
    start, *body = outgoing
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(message.get("body", b"") for message in body))


def test_a_body_over_the_limit_is_413_and_one_at_the_limit_is_read(client: TestClient) -> None:
    before = _items()
    over = client.post("/v1/signup", content=_body_of(LIMIT + 1), headers=JSON)
    problem = _assert_problem(*_parts(over), 413)
    assert problem["detail"] == f"The request body is over {LIMIT} bytes."
    at_limit = client.post("/v1/signup", content=_body_of(LIMIT), headers=JSON)
    problem = _assert_problem(*_parts(at_limit), 422)
    assert problem["errors"][0]["field"] == "body.tenant_name"
    assert _items() == before


@pytest.mark.parametrize("length", [None, "10"], ids=["no-length", "lying-length"])
def test_streamed_bytes_over_the_limit_are_413_whatever_the_length_says(client: TestClient,
                                                                        length: str | None) -> None:
    before = _items()
    chunk = b" " * (64 * 1024)
    headers = JSON | ({"content-length": length} if length else {})
    status, response_headers, body = _send(client.app, "POST", "/v1/signup", [b'{"a":"', *[chunk] * 4, b'"}'],
                                           headers)
    _assert_problem(status, response_headers, body, 413)
    assert _items() == before


def test_a_declared_length_over_the_limit_is_413_without_reading_the_body(client: TestClient) -> None:
    before = _items()
    # No chunks: had the body been read, the client would have seemed gone and nothing would have answered.
    status, headers, body = _send(client.app, "POST", "/v1/signup", [], JSON | {"content-length": str(LIMIT + 1)})
    _assert_problem(status, headers, body, 413)
    assert _items() == before


def test_a_streamed_body_under_the_limit_reaches_the_route(client: TestClient) -> None:
    body = json.dumps(VALID).encode()
    status, _, response = _send(client.app, "POST", "/v1/signup", [body[:10], body[10:]], JSON)
    assert status == 201 and json.loads(response)["tenant"]["name"] == "Acme"


@pytest.mark.parametrize("body", [NESTED_ARRAYS, NESTED_OBJECTS, '{"tenant_name": ' + NESTED_ARRAYS + "}"],
                         ids=["arrays", "objects", "in-a-field"])
def test_deeply_nested_json_is_400(client: TestClient, body: str) -> None:
    before = _items()
    response = client.post("/v1/signup", content=body, headers=JSON)
    _assert_problem(*_parts(response), 400)
    assert _items() == before


def test_invalid_utf8_is_400(client: TestClient) -> None:
    before = _items()
    body = b'{"tenant_name": "\xff\xfe", "email": "bad@example.com", "password": "%s"}' % PASSWORD.encode()
    response = client.post("/v1/signup", content=body, headers=JSON)
    _assert_problem(*_parts(response), 400)
    assert _items() == before


def test_a_huge_query_string_is_414(client: TestClient) -> None:
    before = _items()
    status, headers, body = _send(client.app, "POST", "/v1/signup", [json.dumps(VALID).encode()], JSON,
                                  query=HUGE_QUERY)
    problem = _assert_problem(status, headers, body, 414)
    assert problem["detail"] == f"The query string is over {settings().max_query_bytes} bytes."
    assert _items() == before


@pytest.mark.parametrize("request_kwargs", [
    {"content": json.dumps(VALID), "headers": {"content-type": "text/plain"}},
    {"files": {"file": ("body.json", json.dumps(VALID), "application/json")}},
    {"data": VALID},
    {"content": json.dumps(VALID)},
], ids=["text", "multipart", "form", "no-content-type"])
def test_a_body_that_is_not_json_is_415(client: TestClient, request_kwargs: dict[str, Any]) -> None:
    before = _items()
    response = client.post("/v1/signup", **request_kwargs)
    problem = _assert_problem(*_parts(response), 415)
    assert problem["detail"] == "Send the body as application/json."
    assert _items() == before


@pytest.mark.parametrize("body", ["[]", '"Acme"', "1", "null", "true", json.dumps([VALID])])
def test_json_that_is_not_an_object_is_422(client: TestClient, body: str) -> None:
    before = _items()
    response = client.post("/v1/signup", content=body, headers=JSON)
    problem = _assert_problem(*_parts(response), 422)
    assert problem["errors"][0]["field"] == "body"
    assert _items() == before


def test_duplicate_keys_are_accepted_and_the_last_one_wins(client: TestClient) -> None:
    body = '{"tenant_name": "First", "tenant_name": "Last", "email": "dup-keys@example.com", "password": "%s"}'
    response = client.post("/v1/signup", content=body % PASSWORD, headers=JSON)
    assert response.status_code == 201 and response.json()["tenant"]["name"] == "Last"


def test_a_non_ascii_idempotency_key_is_400(client: TestClient) -> None:
    before = _items()
    response = client.post("/v1/signup", json=VALID, headers={"Idempotency-Key": "clé".encode("latin-1")})
    _assert_problem(*_parts(response), 400)
    assert _items() == before


@pytest.mark.parametrize("if_match", ['"²"', '"' + "9" * 5000 + '"'], ids=["superscript-digit", "huge-number"])
def test_an_unreadable_if_match_is_412(client: TestClient, tenant_a: Tenant, if_match: str) -> None:
    before = _items()
    headers = JSON | tenant_a.auth | {"if-match": if_match}
    _assert_problem(*_send(client.app, "PATCH", "/v1/tenant", [b'{"name": "X"}'], headers), 412)
    assert _items() == before


def test_an_invalid_body_is_422_before_if_match_is_checked(client: TestClient, tenant_a: Tenant) -> None:
    before = _items()
    # RFC 9110 13.2.1: preconditions are evaluated only for a request that would otherwise succeed.
    response = client.patch("/v1/tenant", json={"name": ""}, headers=tenant_a.auth | {"If-Match": "garbage"})
    _assert_problem(*_parts(response), 422)
    assert _items() == before


def test_a_wrong_method_is_405_naming_every_method_of_the_path(client: TestClient) -> None:
    response = client.delete("/v1/tenant")
    _assert_problem(*_parts(response), 405)
    assert response.headers["allow"] == "GET, PATCH"


@pytest.fixture
def signup_function(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The route function serving ``identity.signup``, as Lambda loads it."""
    monkeypatch.setenv("ATRIUM_ROUTE", "identity.signup")
    sys.modules.pop("api", None)
    return importlib.import_module("api")


def _signup_event(body: str | None, **overrides: Any) -> dict[str, Any]:
    return http_event("POST", "/v1/signup") | {"body": body} | overrides


@pytest.mark.parametrize(("event", "status"), [
    (_signup_event(_body_of(LIMIT + 1)), 413),
    (_signup_event(NESTED_ARRAYS), 400),
    (_signup_event(NESTED_OBJECTS), 400),
    (_signup_event(base64.b64encode(b'{"tenant_name": "\xff"}').decode(), isBase64Encoded=True), 400),
    (_signup_event(json.dumps(VALID), headers={"content-type": "text/plain"}), 415),
    (_signup_event("[]"), 422),
    (_signup_event(json.dumps(VALID), rawQueryString=HUGE_QUERY), 414),
], ids=["oversized", "nested-arrays", "nested-objects", "invalid-utf8", "text", "not-an-object", "huge-query"])
def test_the_route_function_refuses_bad_input_too(signup_function: ModuleType, event: dict[str, Any],
                                                  status: int) -> None:
    before = _items()
    response = signup_function.handler(event, LocalContext("signup"))
    # Mangum base64-encodes media types it does not list as text, problem+json among them.
    body = base64.b64decode(response["body"]) if response["isBase64Encoded"] else response["body"]
    _assert_problem(response["statusCode"], response["headers"], body, status)
    assert _items() == before


def test_the_route_function_accepts_the_same_signup_in_good_shape(signup_function: ModuleType) -> None:
    response = signup_function.handler(_signup_event(json.dumps(VALID)), LocalContext("signup"))
    assert response["statusCode"] == 201


@pytest.mark.parametrize("query", ["limt=5", "=false", "limit=5&limit=6", "cursor=a&cursor=b", "limit=0",
                                   "limit=101", "cursor="])
def test_every_list_refuses_unknown_repeated_or_invalid_query_parameters(client: TestClient, tenant_a: Tenant,
                                                                         query: str) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    lists = [path for path, operations in spec["paths"].items() if (get := operations.get("get"))
             and get["x-atrium-realm"] == "tenant" and any(p["name"] == "cursor" for p in get.get("parameters", []))]
    assert len(lists) >= 4, lists
    for path in lists:
        response = client.get(f"{path}?{query}", headers=tenant_a.auth)
        assert response.status_code == 422, (path, query)
        assert response.headers["content-type"] == "application/problem+json"


def test_operations_without_query_parameters_refuse_them(client: TestClient, tenant_a: Tenant) -> None:
    assert client.get("/v1/tenant?verbose=1", headers=tenant_a.auth).status_code == 422
    assert client.get("/v1/sessions?limit=5", headers=tenant_a.auth).status_code == 200
