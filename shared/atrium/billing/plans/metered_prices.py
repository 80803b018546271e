"""Each plan's metered Stripe prices: one per meter reported to Stripe, by billing interval (the setting
``stripe_metered_price_ids``, ``ATRIUM_STRIPE_METERED_PRICE_IDS``: plan, then interval, then meter, to price id).

Stripe bills the usage a meter reports on the subscription's metered price of that meter (the plan's included
amount and the overage are its tiers), so Checkout subscribes to them beside the plan's own price. The setting is
keyed by meter name, whichever meters are reported: a name that is not one of them is a mistake in the setting, refused
before a tenant subscribes without it."""

from atrium.billing.metering.meters import REPORTED_METERS, Meter
from atrium.billing.plans.catalog import Interval
from atrium.kernel.config import settings


class MeteredPricesMisconfigured(ValueError):
    """``stripe_metered_price_ids`` names a meter that is not reported to Stripe."""


def metered_price_ids(plan: str, interval: Interval) -> dict[Meter, str]:
    """The metered prices of ``plan`` billed every ``interval``, by meter in declaration order (none configured:
    empty). Raises ``MeteredPricesMisconfigured`` when the setting, any plan's, names a meter not reported."""
    configured = settings().stripe_metered_price_ids
    reported = {meter.value for meter in REPORTED_METERS}
    unknown = sorted({name for intervals in configured.values() for meters in intervals.values() for name in meters}
                     - reported)
    if unknown:
        raise MeteredPricesMisconfigured(
            f"stripe_metered_price_ids names {', '.join(unknown)}, not a meter reported to Stripe "
            f"(one of: {', '.join(sorted(reported)) or 'none'})")
    prices = configured.get(plan, {}).get(interval.value, {})
    return {meter: prices[meter.value] for meter in REPORTED_METERS if prices.get(meter.value)}
