"""A plugin's `http_fetch` (docs/plugins.md, "Host functions"): only to hosts its manifest allows, and even then
only where the platform's SSRF guard lets a request go (no metadata service, loopback or private range)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.plugins.testing import installed
from tests.api.conftest import Tenant
from tests.support.plugins import relay, wasm
from tests.support.webhook_receiver import Receiver, receiver  # noqa: F401 (a fixture)

FETCHER = {"name": "Fetcher", "version": "1.0.0", "type": "connector", "permissions": ["http"],
           "hooks": ["http_fetch"], "http_hosts": ["127.0.0.1", "169.254.169.254", "10.0.0.1", "api.example.com"]}


def _fetch(client: TestClient, tenant: Tenant, request: dict[str, Any]) -> Any:
    ran = client.post("/v1/plugins/hooks/http_fetch", json={"payload": request}, headers=tenant.auth)
    assert ran.status_code == 200, ran.text
    (result,) = ran.json()["results"]
    assert result["outcome"] == "ok", result
    return result["answer"]


@pytest.fixture
def fetcher(client: TestClient, tenant_a: Tenant) -> dict[str, Any]:
    plugin = installed(client, tenant_a.id, tenant_a.auth, FETCHER, wasm(relay("http_fetch")))
    assert plugin["status"] == "installed", plugin["scan_findings"]
    return plugin


@pytest.mark.parametrize(("url", "refusal"), [
    ("https://169.254.169.254/latest/meta-data/iam/", "cloud metadata service"),
    ("https://127.0.0.1/", "loopback"),
    ("https://10.0.0.1/admin", "private"),
    ("https://evil.example.org/", "is not among the plugin's http_hosts"),
    ("https://api.example.com.evil.example.org/", "is not among the plugin's http_hosts"),
    ("http://api.example.com/", "the URL must be https"),
    ("file:///etc/passwd", "the URL must be https"),
])
def test_a_fetch_outside_the_allow_list_or_the_ssrf_guard_is_refused(
        client: TestClient, tenant_a: Tenant, fetcher: dict[str, Any], url: str, refusal: str) -> None:
    answer = _fetch(client, tenant_a, {"method": "GET", "url": url})
    assert refusal in answer["error"], answer


def test_a_fetch_the_guard_allows_reaches_the_host_and_answers_its_response(
        client: TestClient, tenant_a: Tenant, fetcher: dict[str, Any], receiver: Receiver) -> None:  # noqa: F811
    answer = _fetch(client, tenant_a, {"method": "POST", "url": receiver.url, "body": '{"proof": 1}',
                                       "headers": {"x-plugin": "yes", "host": "spoofed.example.com"}})
    assert answer == {"status": 200, "body": "ok"}
    (sent,) = receiver.received
    assert sent.body == b'{"proof": 1}' and sent.headers["x-plugin"] == "yes"
    assert sent.headers["user-agent"] == "Atrium-Plugins/1.0" and sent.headers["host"].startswith("127.0.0.1")


def test_a_bad_fetch_request_fails_inside_the_plugin(client: TestClient, tenant_a: Tenant,
                                                     fetcher: dict[str, Any]) -> None:
    assert "http_fetch" in _fetch(client, tenant_a, {"method": "TRACE", "url": "https://api.example.com/"})["error"]
