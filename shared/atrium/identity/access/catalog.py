"""The permission catalog: every permission a role or an API token can hold, built from the route registry.

A permission enters the catalog when a tenant route declares it. The catalog is generated into
``catalog.json`` (``python -m atrium.identity.access.catalog``) rather than built at run time, because building it
imports every context's router and a route function must load only its own (cold start is per route); a
test fails when the committed file differs from what the registry gives. Descriptions are derived from
``resource:action``.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from atrium.kernel.errors import Forbidden, Unprocessable
from atrium.kernel.permissions import OWNERS_ONLY, expand
from atrium.kernel.tenancy import Principal


@dataclass(frozen=True)
class CatalogEntry:
    permission: str
    operation_ids: tuple[str, ...]

    @property
    def resource(self) -> str:
        return self.permission.partition(":")[0]

    @property
    def action(self) -> str:
        return self.permission.partition(":")[2]

    @property
    def description(self) -> str:
        return f"{self.action.replace('_', ' ').capitalize()} {self.resource.replace('_', ' ')}"


CATALOG_FILE = Path(__file__).with_name("catalog.json")


def build() -> dict[str, list[str]]:
    """Permission -> the operation ids that need it, from the route registry (sorted)."""
    from atrium import manifest  # only the generator and its test load every router

    needed: dict[str, list[str]] = {}
    for spec in manifest.routes():
        if spec.in_catalog:
            needed.setdefault(spec.permission, []).append(spec.operation_id)
    return {permission: sorted(ops) for permission, ops in sorted(needed.items())}


def render() -> str:
    return json.dumps(build(), indent=2) + "\n"


@cache
def catalog() -> tuple[CatalogEntry, ...]:
    """Sorted by permission; each entry names the operations that need it."""
    stored: dict[str, list[str]] = json.loads(CATALOG_FILE.read_text())
    return tuple(CatalogEntry(permission, tuple(ops)) for permission, ops in stored.items())


def permissions() -> frozenset[str]:
    return frozenset(entry.permission for entry in catalog())


def effective(patterns: frozenset[str]) -> list[str]:
    """The catalog permissions ``patterns`` allow, sorted."""
    return sorted(expand(patterns, permissions()))


def check_grantable(principal: Principal, wanted: list[str], *, field: str = "body.permissions") -> list[str]:
    """``wanted`` sorted and deduplicated, if each is a catalog permission the caller holds: nobody grants
    (to a role or an API token) more than they have."""
    chosen = sorted(set(wanted))
    known = permissions()
    unknown = [p for p in chosen if p not in known]
    if unknown:
        raise Unprocessable("permissions must come from the catalog (GET /v1/permissions)",
                            errors=[{"field": field, "message": f"not in the catalog: {p}"} for p in unknown])
    reserved = [p for p in chosen if p in OWNERS_ONLY]
    if reserved:
        raise Unprocessable("some permissions are the owner role's alone", errors=[
            {"field": field, "message": f"only owners hold {p}"} for p in reserved])
    withheld = [p for p in chosen if not principal.can(p)]
    if withheld:
        raise Forbidden(f"you cannot grant permissions you do not hold: {', '.join(withheld)}")
    return chosen


if __name__ == "__main__":
    CATALOG_FILE.write_text(render())
