"""The local stack's clock control: ``PUT /_local/clock {"ahead_seconds": N}`` runs the stack's clock N seconds
ahead of real time (0: real time again), so a developer or an end-to-end test sees a trial or a grace period end,
a token expire or a reminder fall due without waiting. The API, the worker and the Stripe fake share the process,
and so the clock; moto's own timestamps (message timers, schedules) keep real time."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from atrium.kernel import clock

router = APIRouter(prefix="/_local/clock", include_in_schema=False)
YEAR = 366 * 24 * 3600


class ClockSetting(BaseModel):
    ahead_seconds: float = Field(ge=0, le=YEAR)


class ClockOut(ClockSetting):
    now: str


_setting = ClockSetting(ahead_seconds=0)


@router.get("")
def read_clock() -> ClockOut:
    return ClockOut(ahead_seconds=_setting.ahead_seconds, now=clock.iso(clock.now()))


@router.put("")
def set_clock(setting: ClockSetting) -> ClockOut:
    global _setting
    clock.run_ahead(setting.ahead_seconds)
    _setting = setting
    return read_clock()
