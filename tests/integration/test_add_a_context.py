"""The recipe of docs/conventions.md ("Add a context or an app"), followed on a tiny example context built in a
temporary package: its declarations sit in a feature folder, and one line (the list of contexts) installs it; the
route matrices and the bench find its sample ids and requests in its ``testing.py``."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from atrium import manifest
from atrium_local.devserver import local_app
from atrium_local.provision import Provisioned
from tests.api.conftest import signup
from tests.support.operation_calls import Fixture, measure

FILES = {
    "example_widgets/__init__.py": '"""Widgets: the example context of the recipe."""\n',
    "example_widgets/roles.py": 'ROLE_GRANTS = {"viewer": frozenset({"widgets:read"})}\n',
    "example_widgets/catalog/__init__.py": '"""The widget catalog (a feature folder)."""\n',
    "example_widgets/catalog/routes.py": '''
from pydantic import BaseModel

from atrium.kernel.errors import NotFound
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter

router = ContextRouter("widgets")
CATALOG = ["sprocket"]


class WidgetList(BaseModel):
    tenant_id: str
    data: list[str]


@router.get("/v1/widgets", name="list_widgets", permission="widgets:read", grants={Grant.TABLE_READ})
def list_widgets(principal: CurrentPrincipal) -> WidgetList:
    return WidgetList(tenant_id=principal.tenant_id, data=CATALOG)


@router.get("/v1/widgets/{widget_id}", name="get_widget", permission="widgets:read", grants={Grant.TABLE_READ})
def get_widget(widget_id: str, principal: CurrentPrincipal) -> WidgetList:
    if widget_id not in CATALOG:
        raise NotFound(f"widget {widget_id} not found")
    return WidgetList(tenant_id=principal.tenant_id, data=[widget_id])
''',
    "example_widgets/catalog/testing.py": '''
from atrium.kernel.testing import Request

PATH_IDS = {"widget_id": lambda _client, _owner: "sprocket"}
BENCH_REQUESTS = {"widgets.get_widget": lambda _fixture, spec: Request(path=spec.path.format(widget_id="sprocket"))}
''',
}


@pytest.fixture
def widgets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(manifest.CONTEXTS, "widgets", "example_widgets")  # the one line outside its folder


def test_a_context_s_declarations_are_found_in_its_feature_folders(widgets: None) -> None:
    spec = manifest.route("widgets.list_widgets")
    assert (spec.method, spec.path, spec.permission) == ("GET", "/v1/widgets", "widgets:read")
    assert "widgets.list_widgets" in [route.operation_id for route in manifest.routes()]
    assert {"viewer": frozenset({"widgets:read"})} in manifest.role_grants()
    assert "widget_id" in manifest.path_ids() and "widgets.get_widget" in manifest.bench_requests()
    with pytest.raises(LookupError):
        manifest.route("widgets.no_such_route")


def test_a_context_declares_samples_of_its_own_operations_and_new_path_parameters_only(
        widgets: None, monkeypatch: pytest.MonkeyPatch) -> None:
    samples = import_module("example_widgets.catalog.testing")
    monkeypatch.setattr(samples, "PATH_IDS", {"session_id": lambda _client, _owner: "ses_1"})
    with pytest.raises(LookupError, match="'session_id' is declared twice"):
        manifest.path_ids()
    get_widget = samples.BENCH_REQUESTS["widgets.get_widget"]
    for operation_id in ("identity.get_tenant", "widgets.get_widgets"):  # another context's, and none at all
        monkeypatch.setattr(samples, "BENCH_REQUESTS", {operation_id: get_widget})
        with pytest.raises(LookupError, match=re.escape(f"'{operation_id}' is not an operation of widgets")):
            manifest.bench_requests()


def test_the_local_stack_serves_the_new_context_with_the_platform_s_checks(widgets: None, aws: Provisioned) -> None:
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        owner = signup(client, "Widgets")
        answer = client.get("/v1/widgets", headers=owner.auth)
        assert answer.status_code == 200 and answer.json() == {"tenant_id": owner.id, "data": ["sprocket"]}
        assert client.get("/v1/widgets").status_code == 401  # the authorizer runs in front of it too
        widget_id = manifest.path_ids()["widget_id"](client, owner)  # what the route matrices call it with
        assert client.get(f"/v1/widgets/{widget_id}", headers=owner.auth).json()["data"] == [widget_id]


def test_the_bench_sends_the_context_s_requests_as_it_sets_them_up(widgets: None, aws: Provisioned) -> None:
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        rows = measure(Fixture(client), operations=["widgets.get_widget", "widgets.list_widgets"])
    assert [(row["request"], row["status"], row["calls"]) for row in rows] == [
        ("GET /v1/widgets", 200, []), ("GET /v1/widgets/{widget_id}", 200, [])]
