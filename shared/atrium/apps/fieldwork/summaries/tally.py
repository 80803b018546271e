"""Counting in the month's tallies, in the transaction of what is counted: a signed test report once, when it is
signed; an invoice's total when it is sent (and taken back when a sent invoice is voided); a payment when it is
recorded. Each counts in the month it happens, so a month's figures do not change after it ends (a payment recorded
late, dated in an earlier month, counts when it was recorded)."""

from atrium.apps.fieldwork.summaries.models import MoneyTallyItem, TallyItem
from atrium.kernel import clock
from atrium.kernel.errors import Conflict
from atrium.kernel.store.unit_of_work import UnitOfWork

PASSED = "passed"
_UNCONDITIONAL = Conflict("unreachable: an unconditional count")


def _this_month() -> str:
    return clock.now().strftime("%Y-%m")


def count_signed(uow: UnitOfWork, assembly_type: str, *, result: str, initial_result: str | None) -> None:
    tally = TallyItem(tenant_id=uow.tenant_id, month=_this_month(), assembly_type=assembly_type)
    tally.assign_keys()
    uow.update(tally, tally.counting(passed=result == PASSED, passed_first_time=initial_result == PASSED),
               condition=None, conflict=_UNCONDITIONAL)


def count_money(uow: UnitOfWork, *, invoiced: int = 0, collected: int = 0) -> None:
    """Cents invoiced (negative: a sent invoice voided) and collected this month."""
    tally = MoneyTallyItem(tenant_id=uow.tenant_id, month=_this_month())
    tally.assign_keys()
    uow.update(tally, tally.counting(invoiced=invoiced, collected=collected), condition=None,
               conflict=_UNCONDITIONAL)
