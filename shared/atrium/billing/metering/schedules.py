"""Metering's schedules (``SCHEDULES``): the hourly reports of metered usage to Stripe, and the daily
reconciliation of Atrium's counts with Stripe's."""

from atrium.billing.metering.reconciliation import DRIFT_METRIC, reconcile_usage
from atrium.billing.metering.reporting import queue_reports
from atrium.kernel.events.schedules import MetricAlarm, ScheduleSpec
from atrium.kernel.grants import Grant

SCHEDULES = [
    ScheduleSpec(
        name="billing.queue_usage_reports",
        expression="rate(1 hour)",
        handler=queue_reports,
        description="Queue a report to Stripe of each tenant that used a metered price's meter in the last 34 days.",
        grants=frozenset({Grant.TABLE_READ, Grant.TASKS_SEND}),
        timeout_seconds=300,
    ),
    ScheduleSpec(
        name="billing.reconcile_usage",
        expression="rate(1 day)",
        handler=reconcile_usage,
        description="Compare each tenant's counted usage of a day with Stripe's meter summaries; alarm on drift.",
        grants=frozenset({Grant.TABLE_READ, Grant.STRIPE_API_KEY_READ}),
        timeout_seconds=900,
        alarms=(MetricAlarm(DRIFT_METRIC, "Metered usage at Stripe differs from Atrium's counts for a day: see the "
                                          "job's 'metered usage drift' log lines (docs/billing.md)."),),
    ),
]
