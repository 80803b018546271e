"""The usage counters: per tenant and meter, one item per UTC day and one per UTC hour (and, for a cumulative
meter, one running total), in one partition per tenant and meter, so a month's total and a day or hour series
are each one Query.

    pk  T#<tenant>#Usage#<meter>
    sk  D#2026-01-15 (a day)   H#2026-01-15T13 (an hour)   T (the running total)

An event is counted with one transaction: a guard item named after the event id (put if absent), an ADD to
each counter and one to the tenant's line in the platform's usage of the month (``platform_usage``). A second
delivery of the event, or a retry of a transaction whose answer was lost, fails on the guard, so nothing is
counted twice, and a failed transaction counts nothing (the message is retried).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from atrium.billing.metering import platform_usage
from atrium.billing.metering.meters import Meter
from atrium.kernel import clock
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store import keys
from atrium.kernel.store.guards import UniqueValue
from atrium.kernel.store.models import Item

# The guard outlives any redelivery: SQS keeps a message (or its DLQ copy, for a redrive) up to 14 days.
GUARD_RETENTION = timedelta(days=35)
GUARD_FIELD = "metered_event"
TOTAL = "T"


class Granularity(StrEnum):
    DAY = "day"
    HOUR = "hour"

    @property
    def step(self) -> timedelta:
        return timedelta(days=1) if self is Granularity.DAY else timedelta(hours=1)

    def bucket(self, at: datetime) -> str:
        """The sort key of the counter that holds ``at`` (UTC)."""
        at = at.astimezone(UTC)
        return f"D#{at:%Y-%m-%d}" if self is Granularity.DAY else f"H#{at:%Y-%m-%dT%H}"

    def floor(self, at: datetime) -> datetime:
        at = at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        return at.replace(hour=0) if self is Granularity.DAY else at


class UsageItem(Item, discriminator="Usage"):
    """How much of ``meter`` the tenant used in one day or hour (``bucket``), or in all (``T``)."""

    tenant_id = UnicodeAttribute()
    meter = UnicodeAttribute()
    bucket = UnicodeAttribute()
    quantity = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = usage_pk(self.tenant_id, self.meter)
        self.sk = self.bucket


def usage_pk(tenant_id: str, meter: str) -> str:
    return keys.entity_pk(tenant_id, UsageItem.type_name(), meter)


def count(event: Envelope, quantities: dict[Meter, int]) -> bool:
    """Add each meter's quantity at the event's time, once per event id: False when the event was counted
    before (the guard exists). One TransactWriteItems."""
    at = event.occurred_at
    buckets = [Granularity.DAY.bucket(at), Granularity.HOUR.bucket(at)]
    guard = UniqueValue(tenant_id=event.tenant_id, field=GUARD_FIELD, value=event.id, owner_id="billing.metering",
                        expires_at=clock.now() + GUARD_RETENTION)
    try:
        with TransactWrite(connection=Item._get_connection().connection) as transaction:
            transaction.save(guard, condition=Item.pk.does_not_exist())
            for meter, quantity in quantities.items():
                for bucket in [*buckets, TOTAL] if meter.cumulative else buckets:
                    add(transaction, event.tenant_id, meter, bucket, quantity)
                platform_usage.add(transaction, event.tenant_id, meter, platform_usage.month_of(at), quantity)
    except TransactWriteError as error:
        if any(reason is not None and reason.code == "ConditionalCheckFailed"
               for reason in error.cancellation_reasons):
            return False  # only the guard has a condition: the event was counted
        raise
    return True


def add(transaction: TransactWrite, tenant_id: str, meter: Meter, bucket: str, quantity: int,
        also: Sequence[Action] = (), condition: Condition | None = None) -> None:
    """Add ``quantity`` to a counter in ``transaction`` (and do what ``also`` says to it, if ``condition``)."""
    counter = UsageItem(tenant_id=tenant_id, meter=meter.value, bucket=bucket)
    counter.assign_keys()
    # An update writes only what it names: the type and key attributes too, so the item reads back as a UsageItem.
    transaction.update(counter, [
        UsageItem.quantity.add(quantity), UsageItem.entity.set(UsageItem), UsageItem.tenant_id.set(tenant_id),
        UsageItem.meter.set(meter.value), UsageItem.bucket.set(bucket), *also],
        condition=condition, add_version_condition=False)


def series(tenant_id: str, meter: Meter, granularity: Granularity, start: datetime,
           end: datetime) -> dict[str, int]:
    """The counters of ``granularity`` from ``start`` up to ``end`` (excluded), by sort key: one Query."""
    first, last = granularity.bucket(start), granularity.bucket(end - granularity.step)
    found = UsageItem.query(usage_pk(tenant_id, meter), UsageItem.sk.between(first, last))
    return {item.bucket: int(item.quantity) for item in found if isinstance(item, UsageItem)}


def month_total(tenant_id: str, meter: Meter, day: date) -> int:
    """What the tenant used in ``day``'s calendar month (UTC): one Query of the month's day counters."""
    first = day.replace(day=1)
    found = UsageItem.query(usage_pk(tenant_id, meter),
                            UsageItem.sk.between(f"D#{first:%Y-%m-}01", f"D#{first:%Y-%m-}31"))
    return sum(int(item.quantity) for item in found if isinstance(item, UsageItem))


def day_total(tenant_id: str, meter: Meter, day: date) -> int:
    """What the tenant used on ``day`` (UTC): one GetItem."""
    return _quantity(tenant_id, meter, f"D#{day:%Y-%m-%d}")


def running_total(tenant_id: str, meter: Meter) -> int:
    """A cumulative meter's total: one GetItem."""
    return _quantity(tenant_id, meter, TOTAL)


def _quantity(tenant_id: str, meter: Meter, bucket: str) -> int:
    try:
        return int(UsageItem.get(usage_pk(tenant_id, meter), bucket).quantity)
    except DoesNotExist:
        return 0
