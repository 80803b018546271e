import pytest

from atrium.kernel.store import keys
from atrium.kernel.tenancy import TenantScopeError, tenant_scope


def test_tenant_keys_begin_with_the_tenant() -> None:
    with tenant_scope("ten_a"):
        assert keys.entity_pk("ten_a", "Tenant", "ten_a") == "T#ten_a#Tenant#ten_a"
        assert keys.collection_pk("ten_a", "Membership") == "T#ten_a#Membership"
        assert keys.bucketed_collection_pk("ten_a", "Audit", "2026-11-22") == "T#ten_a#Audit#2026-11-22"
        assert keys.unique_pk("ten_a", "slug", "acme") == "T#ten_a#Unique#slug#acme"
    assert keys.global_pk("UserEmail", "a@example.com") == "G#UserEmail#a@example.com"


def test_tenant_keys_are_refused_outside_a_tenant_scope() -> None:
    with pytest.raises(TenantScopeError):
        keys.entity_pk("ten_a", "Tenant", "ten_a")


def test_tenant_keys_are_refused_for_another_tenant() -> None:
    with tenant_scope("ten_a"), pytest.raises(TenantScopeError):
        keys.entity_pk("ten_b", "Tenant", "ten_b")


@pytest.mark.parametrize(("tenant", "part"), [("ten_a", "a#b"), ("ten_a", "")])
def test_key_parts_cannot_smuggle_separators(tenant: str, part: str) -> None:
    with tenant_scope(tenant), pytest.raises(ValueError, match="key part"):
        keys.entity_pk(tenant, "Tenant", part)
