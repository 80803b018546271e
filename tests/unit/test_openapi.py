import json
from pathlib import Path

from fastapi.testclient import TestClient

from atrium import manifest
from atrium.kernel.http.app import create_app
from atrium_local.openapi import render

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_spec_is_current() -> None:
    assert COMMITTED.read_text() == render(), "docs/openapi.json is stale: run `make openapi`"


def test_every_route_in_the_registry_is_in_the_spec() -> None:
    spec = json.loads(COMMITTED.read_text())
    documented = {(path, method.upper()): op["operationId"]
                  for path, operations in spec["paths"].items() for method, op in operations.items()}
    for route in manifest.routes():
        assert documented[(route.path, route.method)] == route.operation_id
        operation = spec["paths"][route.path][route.method.lower()]
        assert operation["x-atrium-permission"] == route.permission
        assert ("security" in operation) is not route.is_public
    assert len(documented) == len(manifest.routes())


def test_a_deployed_route_function_serves_no_spec_and_no_docs() -> None:
    """Only the local stack serves the spec and the docs pages (``atrium_local.api_docs``)."""
    app = create_app([manifest.route("system.health")])
    with TestClient(app) as client:
        for path in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
            assert client.get(path).status_code == 404, path
