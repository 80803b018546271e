"""The tenant's usage, as its members with billing:read see it."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query
from pydantic import AwareDatetime

from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import Meter
from atrium.billing.metering.schemas import UsageSeries
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.billing.metering import usage
else:
    (usage,) = lazy_modules("atrium.billing.metering", "usage")

router = ContextRouter("billing")


@router.get("/v1/usage", name="get_usage", permission="billing:read", grants={Grant.TABLE_READ})
def get_usage(
    principal: CurrentPrincipal,
    meter: Annotated[Meter, Query(description="What is counted")],
    start: Annotated[AwareDatetime, Query(alias="from", description="The series' start (floored to a day or hour)")],
    end: Annotated[AwareDatetime, Query(alias="to", description="The series' end, excluded (rounded up)")],
    granularity: Annotated[Granularity, Query(description="One point per UTC day or hour")] = Granularity.DAY,
) -> UsageSeries:
    """The tenant's usage of one meter, per day (at most 366 days) or hour (at most 31 days), as counted from its
    events; a point with nothing counted is 0."""
    return usage.usage_series(principal.tenant_id, meter, granularity, start, end)
