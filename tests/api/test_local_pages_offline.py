"""The API docs of the local stack load nothing from outside this machine: Swagger UI and ReDoc name only
relative or loopback URLs, and what they load is served here."""

import re
from urllib.parse import urljoin, urlsplit

from fastapi.testclient import TestClient

from tests.api.console_helpers import Page

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DOCS = ["/docs", "/redoc"]


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc) == ("", "") or (
        parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS)


def test_every_page_names_only_local_urls_and_what_it_loads_is_served(client: TestClient) -> None:
    for path in DOCS:
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
