"""Built-in roles and how a principal's roles become permission patterns.

A permission is ``resource:action`` (see ``atrium.kernel.permissions``). Built-in roles hold
patterns, so a new route's permission reaches owners and admins without editing this file.
Custom roles (per tenant) hold concrete permissions from the catalog.
"""

from collections.abc import Iterable, Mapping

TENANT_READ = "tenant:read"
TENANT_UPDATE = "tenant:update"

PROOF_READS = frozenset({"proofs:read", "templates:read"})
PROOF_WORK = PROOF_READS | {"proofs:create", "proofs:update", "proofs:submit", "proofs:review", "proofs:comment",
                            "templates:create", "templates:update", "templates:use", "templates:import",
                            "templates:rate"}

OWNER = "owner"
ADMIN = "admin"
BUILT_IN_ROLES: dict[str, frozenset[str]] = {
    OWNER: frozenset({"*"}),
    # Admins hold every permission; only owners may grant or take away the owner role.
    ADMIN: frozenset({"*"}),
    # Every role reads jobs, so whoever started one can follow it; a job of a kind the reader may not start
    # shows only to whoever started it (atrium.jobs.service).
    # Members make and review proofs, make templates, import and rate gallery templates (deleting a proof or a
    # template, publishing a template to the library or the public gallery are for admins); viewers read them.
    "member": frozenset({TENANT_READ, "users:read", "roles:read", "permissions:read", "api_tokens:read",
                         "api_tokens:create", "jobs:read", *PROOF_WORK}),
    "viewer": frozenset({TENANT_READ, "users:read", "roles:read", "permissions:read", "jobs:read", *PROOF_READS}),
    "billing": frozenset({TENANT_READ, "billing:*", "jobs:read"}),
}


def permissions_for(roles: Iterable[str], custom: Mapping[str, Iterable[str]] | None = None) -> frozenset[str]:
    """The patterns ``roles`` hold. Unknown roles carry nothing, so a stale or forged name grants no access."""
    custom = custom or {}
    held: set[str] = set()
    for role in roles:
        held |= BUILT_IN_ROLES.get(role) or frozenset(custom.get(role, ()))
    return frozenset(held)
