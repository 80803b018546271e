import pytest

from atrium import manifest
from atrium.kernel.http.routing import PUBLIC, SELF, ContextRouter


def test_operation_ids_are_unique_and_prefixed_by_their_context() -> None:
    specs = manifest.routes()
    ids = [spec.operation_id for spec in specs]
    assert len(ids) == len(set(ids))
    for spec in specs:
        assert spec.operation_id.startswith(f"{spec.context}.")
        assert manifest.package_of(spec.operation_id).startswith(tuple(manifest.CONTEXTS.values()))
        assert spec.permission in (PUBLIC, SELF) or ":" in spec.permission


def test_route_lookup_imports_one_context() -> None:
    assert manifest.route("identity.signup").path == "/v1/signup"
    assert manifest.route("account.change_password").path == "/v1/me/password"  # a feature folder's namespace
    with pytest.raises(LookupError):
        manifest.route("nowhere.thing")
    with pytest.raises(LookupError):
        manifest.route("identity.no_such_route")


def test_duplicate_operation_ids_are_refused() -> None:
    router = ContextRouter("demo")
    router.get("/a", name="read", permission=PUBLIC)(lambda: None)
    with pytest.raises(ValueError, match="duplicate"):
        router.get("/b", name="read", permission=PUBLIC)(lambda: None)
