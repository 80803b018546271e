"""At most 10 plugin operations (an upload, an install, an uninstall) per tenant in 15 minutes
(``ATRIUM_PLUGIN_OPERATIONS_PER_15_MINUTES``): a fixed window counted in the operation's own transaction
(``kernel/store/counters.py``), so a refused or failed one counts nothing; over it, 429 with ``Retry-After``."""

from atrium.kernel.config import settings
from atrium.kernel.store import counters
from atrium.kernel.store.unit_of_work import UnitOfWork

WINDOW_SECONDS = 15 * 60


def count_operation(uow: UnitOfWork) -> None:
    most = settings().plugin_operations_per_15_minutes
    limit = counters.Limit("plugin_operations", most, WINDOW_SECONDS, f"a tenant makes at most {most} plugin "
                           "operations (upload, install, uninstall) in 15 minutes")
    counters.take_in(uow, limit, uow.tenant_id, tenant_id=uow.tenant_id)
