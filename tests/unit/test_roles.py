import re
from pathlib import Path

import pytest

from atrium.identity.access.roles import BUILT_IN_ROLES, ROLE_SCOPES, permissions_for
from atrium.kernel.permissions import TENANT_DELETE, TENANT_READ, TENANT_UPDATE, allows, expand, matches


def test_roles_become_permission_patterns() -> None:
    assert permissions_for(["owner"]) == {"*", TENANT_DELETE}
    assert allows(permissions_for(["owner"]), TENANT_DELETE)
    assert not allows(permissions_for(["admin"]), TENANT_DELETE)  # "*" does not reach the owners' own
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
    platform = {"owner", "admin", "member", "viewer", "billing"}
    assert set(BUILT_IN_ROLES) == platform | {"office_admin", "dispatcher", "tester", "customer"}  # fieldwork's


def test_an_app_declares_its_scoped_roles_beside_their_grants() -> None:
    """The fieldwork app's customer role: confined to one customer (``cus_`` ids), it reads the tenant and its
    customer's records and gets its invoices' payment links; nothing of the platform's members, tokens or jobs, and
    no district, gauge or submission."""
    assert ROLE_SCOPES == {"customer": "cus"}
    assert BUILT_IN_ROLES["customer"] == {TENANT_READ, "customers:read", "sites:read", "assemblies:read",
                                          "test_reports:read", "work_orders:read", "invoices:read", "invoices:pay"}


@pytest.mark.parametrize("declared", [[{"viewer": "cus"}], [{"customer": "cus"}, {"customer": "sit"}]])
def test_a_platform_role_or_a_role_scoped_twice_over_is_refused(declared: list[dict[str, str]],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from atrium import manifest
    from atrium.identity.access import roles

    monkeypatch.setattr(manifest, "role_scopes", lambda: declared)
    with pytest.raises(ValueError, match="cannot be scoped"):
        roles._scoped_roles()


def test_patterns() -> None:
    assert matches("*", "users:read") and matches("users:*", "users:read") and matches("*:read", "users:read")
    assert not matches("users:*", "roles:read") and not matches("*:read", "users:update")
    assert not matches("users:read", "users:readall")
    assert expand(["*:read"], ["users:read", "users:update", "roles:read"]) == {"users:read", "roles:read"}


def test_an_app_grants_the_built_in_roles_from_its_own_folder() -> None:
    from atrium.apps.proofs import roles as proof_roles

    assert BUILT_IN_ROLES["member"] >= proof_roles.WORK and BUILT_IN_ROLES["viewer"] >= proof_roles.READS
    assert not proof_roles.WORK & BUILT_IN_ROLES["billing"]


def test_the_platform_names_no_app() -> None:
    """Apps plug in by themselves: outside ``atrium/apps`` only the manifest's list of contexts names one."""
    import atrium

    package = Path(atrium.__file__).parent
    naming = [str(path.relative_to(package)) for path in package.rglob("*.py")
              if "apps" not in path.relative_to(package).parts and path.name != "manifest.py"
              and re.search(r"\bapps\.|\bproofs:|\bPROOF_", path.read_text())]
    assert naming == []


def test_the_route_matrices_and_the_bench_name_no_app() -> None:
    """An app's sample ids, requests and call budgets come from its own folder (its ``testing.py`` modules)."""
    from atrium import manifest

    repo = Path(manifest.__file__).parents[2]
    apps = [context for context, package in manifest.CONTEXTS.items() if package.startswith("atrium.apps.")]
    files = ["tests/api/test_route_matrix.py", "tests/integration/test_aws_call_budgets.py",
             "tests/support/operation_calls.py", "bench/aws_calls.py"]
    naming = [(name, app) for name in files for app in apps
              if re.search(rf"\b{app.removesuffix('s')}", (repo / name).read_text(), re.IGNORECASE)]
    assert apps and naming == []
