from fnmatch import fnmatch

import pytest

from atrium import manifest
from atrium.kernel.grants import Grant
from atrium.kernel.http.rate_limits import KEY_PATTERNS, RateWindow, TenantRateWindow
from atrium.kernel.http.routing import PUBLIC, SELF, ContextRouter
from atrium.kernel.tenancy import tenant_scope


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


def test_every_route_may_count_its_requests_and_the_iam_patterns_match_the_window_keys() -> None:
    assert all(Grant.RATE_LIMIT_COUNT in spec.grants for spec in manifest.routes())
    with tenant_scope("ten_1"):
        tenant_window = TenantRateWindow(tenant_id="ten_1", id="1700000000")
        tenant_window.assign_keys()
    source_window = RateWindow(natural_key="203.0.113.7@1700000000")
    source_window.assign_keys()
    for item in (tenant_window, source_window):
        assert any(fnmatch(item.pk, pattern) for pattern in KEY_PATTERNS), item.pk
