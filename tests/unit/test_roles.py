from atrium.access.roles import BUILT_IN_ROLES, TENANT_READ, TENANT_UPDATE, permissions_for
from atrium.kernel.permissions import allows, expand, matches


def test_roles_become_permission_patterns() -> None:
    assert permissions_for(["owner"]) == {"*"}
    assert allows(permissions_for(["viewer"]), TENANT_READ)
    assert not allows(permissions_for(["viewer"]), TENANT_UPDATE)
    assert allows(permissions_for(["viewer", "admin"]), TENANT_UPDATE)


def test_custom_roles_add_their_permissions_and_cannot_shadow_built_ins() -> None:
    custom = {"editor": ["users:update"], "viewer": ["tenant:update"]}
    assert permissions_for(["editor"], custom) == {"users:update"}
    assert not allows(permissions_for(["viewer"], custom), TENANT_UPDATE)


def test_unknown_roles_grant_nothing() -> None:
    assert permissions_for(["root", "superuser"]) == frozenset()


def test_built_in_roles() -> None:
    assert set(BUILT_IN_ROLES) == {"owner", "admin", "member", "viewer", "billing"}


def test_patterns() -> None:
    assert matches("*", "users:read") and matches("users:*", "users:read") and matches("*:read", "users:read")
    assert not matches("users:*", "roles:read") and not matches("*:read", "users:update")
    assert not matches("users:read", "users:readall")
    assert expand(["*:read"], ["users:read", "users:update", "roles:read"]) == {"users:read", "roles:read"}
