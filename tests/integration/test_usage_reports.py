"""Metered usage at Stripe on its schedules: the hourly run reports every tenant with a Stripe customer that used a
reported meter (and no other), and the daily reconciliation compares each tenant's count of a day with Stripe's
sum: quiet when they agree, a logged warning with the figures and the alarmed metric when they do not.
Exactly once under faults: tests/faults/test_usage_reports.py."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from atrium.kernel import clock, ids
from atrium_local.provision import Provisioned
from atrium_local.stripe_fake.server import StripeFakeServer
from atrium_local.worker import Worker, run_schedule
from tests.support.metering import EVENT_NAME, at_stripe, billed_tenant, count, events_of

DAY = datetime(2026, 4, 20, tzinfo=UTC)


UNBILLED = ids.new_id("ten")


@pytest.fixture
def reported(aws: Provisioned, stripe_fake: StripeFakeServer) -> Iterator[tuple[str, str]]:
    """A billed tenant's 2 proofs and an unbilled tenant's 1 on ``DAY``, reported by the hourly run (and the billed
    tenant's 4 of the day before its Stripe customer, not billed): the billed tenant's ids; the clock at the next
    day's 04:00."""
    with clock.frozen(DAY + timedelta(hours=9)) as advance:
        tenant_id, customer_id = billed_tenant(stripe_fake)
        count(tenant_id, DAY - timedelta(hours=10), 4)
        count(tenant_id, DAY + timedelta(hours=10), 2)
        count(UNBILLED, DAY + timedelta(hours=11))
        advance(14 * 3600)
        assert run_schedule("billing.queue_usage_reports") == {"tenants": 2}
        Worker(aws, retry_delay_seconds=0).drain()
        advance(5 * 3600)
        yield tenant_id, customer_id


def test_the_hourly_run_reports_each_billed_tenant_and_no_other(reported: tuple[str, str],
                                                               stripe_fake: StripeFakeServer) -> None:
    tenant_id, customer_id = reported
    assert events_of(stripe_fake, customer_id) == [f"{tenant_id}:proofs:{DAY:%Y-%m-%d}:2"]
    assert at_stripe(stripe_fake, customer_id, DAY) == 2
    assert [event for event in stripe_fake.fake.meters.events if event["identifier"].startswith(UNBILLED)] == []


def _reconcile(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               caplog: pytest.LogCaptureFixture) -> tuple[Any, list[Any], list[dict[str, Any]]]:
    """Run the job: its summary, the metrics it put (EMF lines: the tests switch metrics off, this one on) and its
    drift warnings."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    capsys.readouterr()
    caplog.clear()
    result = run_schedule("billing.reconcile_usage")
    emitted = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    warnings = [vars(record) for record in caplog.records if record.getMessage() == "metered usage drift"]
    return result, [line["UsageDrift"] for line in emitted if "UsageDrift" in line], warnings


def test_reconciliation_is_quiet_when_stripe_agrees_and_alarms_on_drift(
        reported: tuple[str, str], stripe_fake: StripeFakeServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    tenant_id, customer_id = reported
    assert _reconcile(monkeypatch, capsys, caplog) == ({"day": f"{DAY:%Y-%m-%d}", "checked": 1, "drifted": 0},
                                                       [[0.0]], [])

    stripe_fake.fake.meters.record(EVENT_NAME, customer_id, 5, int((DAY + timedelta(hours=12)).timestamp()))
    result, metric, (warning,) = _reconcile(monkeypatch, capsys, caplog)
    assert (result, metric) == ({"day": f"{DAY:%Y-%m-%d}", "checked": 1, "drifted": 1}, [[1.0]])
    assert {key: warning[key] for key in ("tenant_id", "meter", "day", "counted", "reported", "at_stripe", "drift")} \
        == {"tenant_id": tenant_id, "meter": "proofs", "day": f"{DAY:%Y-%m-%d}", "counted": 2, "reported": 2,
            "at_stripe": 7, "drift": 5}
    assert len(events_of(stripe_fake, customer_id)) == 2  # the report and the drift: the reconciliation sends none
