"""The monthly summaries' schedule (``SCHEDULES``): each tenant's summary of the month that ended, made by the
month's first run. It runs daily (a rate the local stack's timer also keeps), so that run is on the 1st; the runs
after it find the summary made and do nothing else (one GetItem per tenant)."""

import datetime as dt
from typing import Any

from atrium.apps.fieldwork.summaries.models import SUMMARY_SK, SentSummaryItem, month_pk
from atrium.apps.fieldwork.summaries.sending import SEND_MONTHLY_SUMMARY
from atrium.apps.fieldwork.summaries.service import overdue_now
from atrium.apps.fieldwork.tenants import across_tenants
from atrium.jobs.api import enqueue
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.grants import Grant
from atrium.kernel.store.unit_of_work import UnitOfWork

NAME = "fieldwork.send_monthly_summaries"
ACTOR = Ref(type="schedule", id=NAME)


def _last_month(at: dt.datetime) -> str:
    return (at.date().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def _start(tenant_id: str, month: str) -> bool:
    """Record the month's summary with the overdue count as it ends, and start its job; False when a run already
    did (the conditional put makes each month's summary once, even when two runs race)."""
    if SentSummaryItem.count(month_pk(tenant_id, month), SentSummaryItem.sk == SUMMARY_SK):
        return False
    uow = UnitOfWork(tenant_id, ACTOR)
    job = enqueue(uow, kind=SEND_MONTHLY_SUMMARY, params={"month": month})
    uow.create(SentSummaryItem(tenant_id=tenant_id, month=month, overdue_assemblies=overdue_now(tenant_id),
                               job_id=job.id), conflict=Conflict("already started"))
    try:
        uow.commit()
    except Conflict:
        return False
    return True


def send_monthly_summaries(at: dt.datetime) -> dict[str, Any]:
    month = _last_month(at)
    _, started = across_tenants(lambda tenant_id: int(_start(tenant_id, month)))
    return {"month": month, "started": started}


SCHEDULES = [
    ScheduleSpec(
        name=NAME,
        expression="rate(1 day)",
        handler=send_monthly_summaries,
        description="On the 1st (the month's first daily run): each tenant's summary of the month that ended "
                    "(tests, pass rate by assembly type, overdue assemblies), as a PDF emailed to its owners and "
                    "admins.",
        grants=frozenset({Grant.TABLE_READ, Grant.TABLE_WRITE}),
        timeout_seconds=900,
    ),
]
