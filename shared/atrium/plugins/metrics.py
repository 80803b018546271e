"""Per-plugin metrics: one item per (plugin, hook, hour) in the plugin's store partition, counted by the runner
with one UpdateItem per invocation (ADD: concurrent invocations never lose a count). It holds invocations, errors,
timeouts, fuel runs-out, permission denials, fuel used, total duration, and a histogram of durations whose
buckets give the p50 and p95 (``GET /v1/plugins/{id}/metrics``). Kept 90 days (TTL)."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.expressions.update import Action

from atrium.kernel import clock
from atrium.kernel.store.models import Item, expires_in
from atrium.plugins.models import store_pk
from atrium.plugins.runtime.abi import OK, OUT_OF_FUEL, TIMEOUT
from atrium.plugins.schemas import HookMetrics, HourMetrics, PluginMetricsOut

if TYPE_CHECKING:
    from atrium.plugins.runtime.sandbox import Invocation

RETENTION_SECONDS = 90 * 24 * 3600
# Upper bounds (ms) of the duration buckets; the last catches the rest.
BUCKETS_MS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000)
BUCKET_NAMES = (*(str(bound) for bound in BUCKETS_MS), "inf")
COUNTERS = ("invocations", "errors", "timeouts", "out_of_fuel", "denied", "fuel_used", "duration_ms")
HOUR = "%Y-%m-%dT%H"


class PluginMetricsItem(Item, discriminator="PluginMetrics"):
    tenant_id = UnicodeAttribute()
    plugin_id = UnicodeAttribute()
    hook = UnicodeAttribute()
    hour = UnicodeAttribute()  # ``2026-12-07T23``, UTC
    invocations = NumberAttribute(default=0)
    errors = NumberAttribute(default=0)
    timeouts = NumberAttribute(default=0)
    out_of_fuel = NumberAttribute(default=0)
    denied = NumberAttribute(default=0)
    fuel_used = NumberAttribute(default=0)
    duration_ms = NumberAttribute(default=0)  # total
    # The histogram: ``d<bound>`` counts the invocations that took at most ``bound`` ms (and more than the bound
    # before it); flat attributes, as one UpdateItem cannot make a map and add to its members.
    for _bound in BUCKET_NAMES:
        locals()[f"d{_bound}"] = NumberAttribute(default=0)
    del _bound

    def assign_keys(self) -> None:
        self.pk, self.sk = store_pk(self.tenant_id, self.plugin_id), metrics_sk(self.hook, self.hour)

    def histogram(self) -> dict[str, int]:
        return {bound: int(getattr(self, f"d{bound}")) for bound in BUCKET_NAMES}


def metrics_sk(hook: str, hour: str) -> str:
    """By hour first: a period's items are one range of the partition."""
    return f"M#{hour}#{hook}"


def bucket_of(duration_ms: float) -> str:
    return next((str(bound) for bound in BUCKETS_MS if duration_ms <= bound), "inf")


def record(tenant_id: str, plugin_id: str, hook: str, invocation: "Invocation") -> None:
    """Count one invocation of ``hook`` (one UpdateItem)."""
    hour = clock.now().strftime(HOUR)
    added = {"invocations": 1, "errors": int(invocation.outcome != OK), "timeouts": int(invocation.outcome == TIMEOUT),
             "out_of_fuel": int(invocation.outcome == OUT_OF_FUEL), "denied": sum(invocation.denied.values()),
             "fuel_used": invocation.fuel_used, "duration_ms": round(invocation.duration_ms, 3)}
    actions: list[Action] = [getattr(PluginMetricsItem, name).add(value) for name, value in added.items()]
    actions += [PluginMetricsItem.tenant_id.set(tenant_id), PluginMetricsItem.plugin_id.set(plugin_id),
                PluginMetricsItem.hook.set(hook), PluginMetricsItem.hour.set(hour),
                PluginMetricsItem.entity.set(PluginMetricsItem), PluginMetricsItem.expires_at.set(
                    expires_in(RETENTION_SECONDS))]
    actions.append(NumberAttribute(attr_name=f"d{bucket_of(invocation.duration_ms)}").add(1))
    PluginMetricsItem._get_connection().update_item(store_pk(tenant_id, plugin_id),
                                                    range_key=metrics_sk(hook, hour), actions=actions)


def since(hours: int) -> str:
    return (clock.now() - timedelta(hours=hours - 1)).strftime(HOUR)


def hour_start(hour: str) -> datetime:
    return datetime.strptime(hour, HOUR).replace(tzinfo=UTC)


def _percentile(histogram: dict[str, int], fraction: float) -> float | None:
    total = sum(histogram.values())
    seen = 0
    for bound in BUCKET_NAMES:
        seen += histogram[bound]
        if total and seen >= fraction * total:
            return None if bound == "inf" else float(bound)
    return None


def _summary(hook: str, found: list[PluginMetricsItem]) -> HookMetrics:
    histogram = {bound: sum(item.histogram()[bound] for item in found) for bound in BUCKET_NAMES}
    totals = {name: int(sum(getattr(item, name) for item in found)) for name in COUNTERS if name != "duration_ms"}
    return HookMetrics(hook=hook, **totals, p50_ms=_percentile(histogram, 0.5), p95_ms=_percentile(histogram, 0.95))


def report(tenant_id: str, plugin_id: str, hours: int) -> PluginMetricsOut:
    """The plugin's counts over the last ``hours`` hours: one Query of its metrics items."""
    first = since(hours)
    found = list(PluginMetricsItem.query(store_pk(tenant_id, plugin_id), PluginMetricsItem.sk.between(
        metrics_sk("", first), "M#~")))
    found = [item for item in found if isinstance(item, PluginMetricsItem)]
    by_hook: dict[str, list[PluginMetricsItem]] = {}
    for item in found:
        by_hook.setdefault(item.hook, []).append(item)
    return PluginMetricsOut(
        plugin_id=plugin_id, since=clock.iso(hour_start(first)),
        hooks=[_summary(hook, items) for hook, items in sorted(by_hook.items())],
        hours=[HourMetrics(hour=clock.iso(hour_start(item.hour)), **_summary(item.hook, [item]).model_dump())
               for item in found])
