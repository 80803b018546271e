"""What the app's schedules share: a run that visits every tenant in turn."""

from collections.abc import Callable

from atrium.identity.api import tenant_ids
from atrium.kernel.tenancy import tenant_scope


def across_tenants(run: Callable[[str], int]) -> tuple[int, int]:
    """``run`` for every tenant, in its scope: how many tenants were visited, and the sum of what ``run`` counted."""
    visited = counted = 0
    for tenant_id in tenant_ids():
        with tenant_scope(tenant_id):
            counted += run(tenant_id)
        visited += 1
    return visited, counted
