"""The meters, and how a context says which of its events they count (``METERED_EVENTS`` in its
``metered_events.py``, collected by ``atrium.manifest.metered_events``): the billing context names no app."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from atrium.billing.plans.catalog import Limit
from atrium.kernel.events.envelope import Envelope


class Meter(StrEnum):
    PROOFS = "proofs"  # proofs created
    STORAGE_BYTES = "storage_bytes"  # bytes of files stored
    API_REQUESTS = "api_requests"  # requests the rate limiter counted (api_requests.py)

    @property
    def cumulative(self) -> bool:
        """Whether the meter also keeps a running total (what exists now) besides its day and hour counts."""
        return self is Meter.STORAGE_BYTES

    @property
    def stripe_event_name(self) -> str | None:
        """The event name of the Stripe Billing meter this meter's usage is reported to (``None``: not reported).
        Stripe prices the usage (a plan's included amount and the overage are tiers of a metered price)."""
        return _STRIPE_EVENT_NAMES.get(self)


# Bytes stored are a running total, which Stripe's sums do not bill: it is not reported.
_STRIPE_EVENT_NAMES = {Meter.PROOFS: "atrium_proofs", Meter.API_REQUESTS: "atrium_api_requests"}
# The meters reported to Stripe, in declaration order.
REPORTED_METERS = tuple(meter for meter in Meter if meter.stripe_event_name)


# The plan limit each meter's usage is held against; a limit counted per month takes the calendar month's total
# (UTC), a limit without a period the running total.
METER_LIMITS: dict[Limit, Meter] = {Limit.PROOFS_PER_MONTH: Meter.PROOFS, Limit.STORAGE_BYTES: Meter.STORAGE_BYTES}


def one(_: Envelope) -> int:
    return 1


@dataclass(frozen=True)
class MeteredEvent:
    """Each event of type ``event_type`` adds ``quantity(event)`` to ``meter``."""

    event_type: str
    meter: Meter
    quantity: Callable[[Envelope], int] = one
