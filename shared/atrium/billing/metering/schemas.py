"""Shapes of the usage API."""

from pydantic import BaseModel, ConfigDict

from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import Meter


class UsagePoint(BaseModel):
    start: str  # the day's or hour's start (UTC)
    quantity: int


class UsageSeries(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "meter": "proofs", "granularity": "day", "start": "2026-01-01T00:00:00.000Z",
        "end": "2026-01-03T00:00:00.000Z", "total": 7,
        "data": [{"start": "2026-01-01T00:00:00.000Z", "quantity": 3},
                 {"start": "2026-01-02T00:00:00.000Z", "quantity": 4}]}]})

    meter: Meter
    granularity: Granularity
    start: str  # from, floored to the granularity
    end: str  # to, rounded up to it (excluded)
    total: int
    data: list[UsagePoint]


class PlatformUsageOut(BaseModel):
    tenant_id: str
    quantity: int  # used in the month


class PlatformUsagePage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "data": [{"tenant_id": "ten_01KA6Z8Y4V7R5N2Q3M9W0X1C2D", "quantity": 412}], "next_cursor": None}]})

    data: list[PlatformUsageOut]
    next_cursor: str | None
