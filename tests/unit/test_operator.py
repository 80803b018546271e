from atrium import manifest
from atrium.identity.directory import TenantDirectoryItem
from atrium.identity.operator.roles import OPERATOR_ADMIN, OPERATOR_ROLES, OPERATOR_SUPPORT, operator_permissions
from atrium.kernel.http.routing import Realm
from atrium.kernel.store import keys


def test_operator_roles_grant_only_their_table() -> None:
    assert operator_permissions([OPERATOR_ADMIN]) == {"tenants:read", "tenants:suspend", "tenants:set_plan",
                                                      "usage:read", "tenants:rotate_keys", "marketplace:review"}
    assert operator_permissions([OPERATOR_SUPPORT]) == {"tenants:read", "usage:read"}
    assert operator_permissions(["owner", "admin", "*"]) == frozenset()  # tenant roles are nothing here


def test_operator_routes_are_in_the_operator_realm_and_outside_the_tenant_catalog() -> None:
    specs = [spec for spec in manifest.routes() if spec.context == "operator"]
    assert {spec.operation_id for spec in specs} == {"operator.login", "operator.list_tenants", "operator.get_tenant",
                                                     "operator.suspend_tenant", "operator.reactivate_tenant",
                                                     "operator.set_tenant_plan", "operator.remove_tenant_plan",
                                                     "operator.list_usage", "operator.rotate_tenant_data_key",
                                                     "operator.rotate_data_keys", "operator.get_tenant_deletion"}
    granted = set().union(*OPERATOR_ROLES.values())
    for spec in specs:
        assert spec.realm is Realm.OPERATOR and not spec.in_catalog
        assert spec.is_public or spec.permission in granted, spec.operation_id
    # Other contexts' operator routes (the marketplace's reviews) need an operator role's permission too.
    elsewhere = [spec for spec in manifest.routes() if spec.realm is Realm.OPERATOR and spec.context != "operator"]
    assert {spec.context for spec in elsewhere} == {"marketplace"}
    assert all(spec.permission in granted and not spec.in_catalog for spec in elsewhere)
    # Developers' routes are their realm's; every other route is a tenant's.
    assert all(spec.realm is (Realm.DEVELOPER if spec.path.split("/")[2] == "developer" else Realm.TENANT)
               for spec in manifest.routes() if spec.realm is not Realm.OPERATOR and not spec.is_public)


def test_global_collection_keys() -> None:
    assert keys.global_collection_pk("TenantDirectory") == "G#TenantDirectory"
    assert keys.global_collection_pk("TenantDirectory", "suspended") == "G#TenantDirectory#suspended"


def test_directory_entries_sort_by_lowercased_name_in_their_collections() -> None:
    entry = TenantDirectoryItem(natural_key="ten_1", name="Acme #1", status="suspended")
    entry.assign_keys()
    assert entry.pk == "G#TenantDirectory#ten_1"
    assert (entry.gsi1pk, entry.gsi1sk) == ("G#TenantDirectory", "acme #1#ten_1")
    assert (entry.gsi2pk, entry.gsi2sk) == ("G#TenantDirectory#suspended", "acme #1#ten_1")
