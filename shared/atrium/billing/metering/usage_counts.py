"""The plan limits metering counts (``atrium.manifest.usage_counts``), shown beside the plan's limits."""

from functools import partial

from atrium.billing.metering.meters import METER_LIMITS
from atrium.billing.metering.usage import usage_of

USAGE_COUNTS = {limit.value: partial(usage_of, limit=limit) for limit in METER_LIMITS}
