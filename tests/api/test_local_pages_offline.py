"""No page of the local stack loads anything from outside this machine: Swagger UI, ReDoc and every console page
name only relative or loopback URLs, what they load is served here, and the console's policy keeps an email
shown in the mailbox from loading anything remote either."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from atrium_local.console.pages import CONTENT_SECURITY_POLICY, NAV
from atrium_local.worker import Worker
from tests.api.conftest import signup
from tests.api.console_helpers import Page, welcome_email_failing

# "testserver" is the test client's own host (the page names its own address, as 127.0.0.1:8000 in the stack).
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "testserver"})
DOCS = ["/docs", "/redoc"]
CONSOLE = ["/_local", *(url for url, _ in NAV)]


@pytest.fixture
def everything_shown(client: TestClient, worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page with something on it: emails, events, a message in a DLQ, a webhook delivery, a schedule run."""
    with welcome_email_failing(monkeypatch):
        signup(client)
        worker.drain()
    signup(client)
    worker.drain()
    assert client.post("/_local/receiver/offline", json={"type": "test"}).status_code == 200
    assert client.post("/_local/schedules/audit.checkpoint_chains/run").status_code == 200  # after the redirect


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc) == ("", "") or (
        parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS)


@pytest.mark.usefixtures("everything_shown")
def test_every_page_names_only_local_urls_and_what_it_loads_is_served(client: TestClient) -> None:
    for path in DOCS + CONSOLE:
        response = client.get(path)
        assert response.status_code == 200, path
        page = Page.of(response.text)
        remote = [url.value for url in page.urls if not _local(url.value)]
        # Absolute URLs anywhere in the page, in its inline scripts and in the emails it shows too.
        remote += [host for host in re.findall(r"https?://([^/\s\"'<>:]+)", response.text) if host not in LOCAL_HOSTS]
        assert not remote, f"{path} names {remote}"
        loaded = {urljoin(path, url.value) for url in page.urls if url.loaded}
        assert loaded, path
        for url in loaded:
            assert client.get(url).status_code == 200, f"{path} loads {url}"


def test_swagger_ui_and_redoc_load_their_files_and_the_spec_from_here(client: TestClient) -> None:
    swagger, redoc = client.get("/docs").text, client.get("/redoc").text
    assert {url.value for url in Page.of(swagger).urls} == {f"/_local/docs-assets/{name}" for name in (
        "swagger-ui.css", "favicon.png", "swagger-ui-bundle.js")}
    assert "url: '/openapi.json'" in swagger and "validatorUrl" in swagger
    assert {url.value for url in Page.of(redoc).urls} == {
        "/_local/docs-assets/favicon.png", "/_local/docs-assets/redoc.standalone.js", "/openapi.json"}
    assert "fonts.googleapis.com" not in redoc
    assert client.get("/docs/oauth2-redirect").status_code == 200


@pytest.mark.usefixtures("everything_shown")
def test_console_pages_link_each_other_and_let_the_browser_load_only_from_here(client: TestClient) -> None:
    for path in CONSOLE:
        response = client.get(path)
        assert {url for url, _ in NAV} <= {url.value for url in Page.of(response.text).urls}, path
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    sources = {source for directive in CONTENT_SECURITY_POLICY.split(";") for source in directive.split()[1:]}
    assert sources == {"'none'", "'self'", "'unsafe-inline'", "data:"}
