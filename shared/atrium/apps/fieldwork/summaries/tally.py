"""Counting a signed test report in its month's tally, in the signing's own transaction: counted once, exactly when
the report is signed (a month's figures do not change after it ends)."""

from atrium.apps.fieldwork.summaries.models import TallyItem
from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.store.unit_of_work import UnitOfWork

PASSED = "passed"


def count_signed(uow: UnitOfWork, assembly_type: str, *, result: str, initial_result: str | None) -> None:
    tally = TallyItem(tenant_id=uow.tenant_id, month=clock.now().strftime("%Y-%m"), assembly_type=assembly_type)
    tally.assign_keys()
    uow.update(tally, tally.counting(passed=result == PASSED, passed_first_time=initial_result == PASSED),
               condition=None, conflict=Conflict("unreachable: an unconditional count"))
