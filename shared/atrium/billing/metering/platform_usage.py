"""The platform's usage per tenant, for operators and the platform's jobs: for each meter and calendar month (UTC),
one item per tenant that used the meter in the month, all in one global partition:

    pk  G#PlatformUsage#<meter>#<YYYY-MM>
    sk  <tenant id>

The metering consumer ADDs each counted event to it in the transaction that counts the event into the tenant's
own counters (``counters.count``), so it is exact, and a page of tenants is one Query of that partition in tenant
id order: no Scan, no index. Every event of a meter in a month writes into that partition; DynamoDB splits a hot
partition by sort key range (the tenants), and each tenant's writes go to its own item, so tenants never contend.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.transactions import TransactWrite

from atrium.billing.metering.meters import Meter
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.pages import Page, fetch_page


class PlatformUsageItem(Item, discriminator="PlatformUsage"):
    """How much of ``meter`` the tenant used in ``month`` (``YYYY-MM``, UTC)."""

    tenant_id = UnicodeAttribute()
    meter = UnicodeAttribute()
    month = UnicodeAttribute()
    quantity = NumberAttribute(default=0)

    def assign_keys(self) -> None:
        self.pk = platform_usage_pk(self.meter, self.month)
        self.sk = self.tenant_id


def platform_usage_pk(meter: str, month: str) -> str:
    return keys.global_pk(PlatformUsageItem.type_name(), f"{meter}#{month}")


def month_of(at: datetime | date) -> str:
    """The month (``YYYY-MM``, UTC) of a time or a day."""
    return f"{at.astimezone(UTC) if isinstance(at, datetime) else at:%Y-%m}"


def add(transaction: TransactWrite, tenant_id: str, meter: Meter, month: str, quantity: int) -> None:
    """Add ``quantity`` to the tenant's item of the month, in the counting transaction."""
    item = PlatformUsageItem(tenant_id=tenant_id, meter=meter.value, month=month)
    item.assign_keys()
    # An update writes only what it names: the type and the attributes too, so the item reads back as one.
    transaction.update(item, [
        PlatformUsageItem.quantity.add(quantity), PlatformUsageItem.entity.set(PlatformUsageItem),
        PlatformUsageItem.tenant_id.set(tenant_id), PlatformUsageItem.meter.set(meter.value),
        PlatformUsageItem.month.set(month)], add_version_condition=False)


def tenants_using(meter: Meter, month: str) -> Iterator[str]:
    """Every tenant that used ``meter`` in ``month``, in id order: one Query per page of the partition."""
    for item in PlatformUsageItem.query(platform_usage_pk(meter, month)):
        if isinstance(item, PlatformUsageItem):
            yield item.tenant_id


def page(meter: Meter, month: str, *, limit: int, cursor: str | None) -> Page[PlatformUsageItem]:
    """One page of the tenants' items of ``meter`` in ``month``, in tenant id order: one Query. The cursor is bound
    to the meter and the month."""

    def run_query(start: dict[str, Any] | None) -> Any:
        return PlatformUsageItem.query(platform_usage_pk(meter, month), limit=limit, page_size=limit,
                                       last_evaluated_key=start)

    found = fetch_page(run_query, cursor=cursor, tenant_id=PlatformUsageItem.type_name(),
                       query=f"meter={meter.value}&month={month}")
    return Page([item for item in found.items if isinstance(item, PlatformUsageItem)], found.next_cursor)
