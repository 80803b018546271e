"""Monthly summary route."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query

from atrium.apps.fieldwork.routing import ROOT
from atrium.apps.fieldwork.summaries.schemas import MonthlySummary
from atrium.kernel.grants import READ, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.fieldwork.summaries import service as summaries
else:
    (summaries,) = lazy_modules("atrium.apps.fieldwork.summaries", "service")

router = ContextRouter("fieldwork")


@router.get(f"{ROOT}/monthly-summary", name="get_monthly_summary", permission="monthly_summaries:read",
            grants={*READ, Grant.FILES_READ})
def get_monthly_summary(principal: CurrentPrincipal, month: Annotated[str, Query(
        pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]) -> MonthlySummary:
    """A month's test reports signed (pass rate by assembly type) and overdue assemblies; once the month's summary
    was emailed (on the 1st), its PDF too. The current month's figures so far."""
    return summaries.monthly_summary(principal.tenant_id, month)
