from atrium.access.roles import BUILT_IN_ROLES, TENANT_READ, TENANT_UPDATE, permissions_for


def test_roles_expand_to_permissions() -> None:
    assert permissions_for(["owner"]) == {TENANT_READ, TENANT_UPDATE}
    assert permissions_for(["viewer"]) == {TENANT_READ}
    assert permissions_for(["viewer", "admin"]) == {TENANT_READ, TENANT_UPDATE}


def test_unknown_roles_grant_nothing() -> None:
    assert permissions_for(["root", "superuser"]) == frozenset()


def test_built_in_roles() -> None:
    assert set(BUILT_IN_ROLES) == {"owner", "admin", "member", "viewer", "billing"}
