"""The api_requests meter adds each request the rate limiter counted once, whatever the relay and the queue do:
duplicated, overlapping and late events (each names the highest count it saw of each window), a transaction
whose answer was lost, another consumer counting the same window between the read and the write, and windows
either side of midnight."""

from datetime import UTC, datetime, timedelta

import pytest

from atrium.billing.metering import api_requests, counters, platform_usage
from atrium.billing.metering.counters import Granularity
from atrium.billing.metering.meters import Meter
from atrium.kernel import ids
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.events.request_counts import REQUESTS_COUNTED
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned
from tests.faults.injector import READ_TIMEOUT, FaultInjector
from tests.faults.test_metering import _deliver

CONSUMER = "billing.count_api_requests"
HOUR = datetime(2026, 3, 14, 23, tzinfo=UTC)


def _window(minutes: int) -> int:
    """The start of the window ``minutes`` after 23:00."""
    return int((HOUR + timedelta(minutes=minutes)).timestamp())


def _counted(tenant_id: str, windows: dict[int, int]) -> Envelope:
    return Envelope(id=ids.new_id("evt"), type=REQUESTS_COUNTED, tenant_id=tenant_id, occurred_at=HOUR,
                    actor=Ref(type="service", id="relay"), subject=Ref(type="tenant", id=tenant_id),
                    data={"windows": {str(start): count for start, count in windows.items()}})


def _hours(tenant_id: str) -> dict[str, int]:
    with tenant_scope(tenant_id):
        return counters.series(tenant_id, Meter.API_REQUESTS, Granularity.HOUR, HOUR, HOUR + timedelta(hours=2))


def _days(tenant_id: str) -> dict[str, int]:
    with tenant_scope(tenant_id):
        return counters.series(tenant_id, Meter.API_REQUESTS, Granularity.DAY, HOUR, HOUR + timedelta(days=2))


@pytest.fixture
def tenant_id(aws: Provisioned) -> str:
    return ids.new_id("ten")


def test_duplicated_overlapping_and_late_counts_add_each_request_once(tenant_id: str) -> None:
    first = _counted(tenant_id, {_window(0): 3, _window(1): 5})
    assert _deliver([first, first], CONSUMER) == {"batchItemFailures": []}
    _deliver([_counted(tenant_id, {_window(0): 3}),  # the same counts, from a retried relay batch
              _counted(tenant_id, {_window(1): 4}),  # a count older than one already held
              _counted(tenant_id, {_window(1): 9, _window(2): 2})], CONSUMER)
    assert _hours(tenant_id) == {"H#2026-03-14T23": 3 + 9 + 2}
    assert _days(tenant_id) == {"D#2026-03-14": 14}


def test_windows_either_side_of_midnight_count_into_their_own_day_and_month(aws: Provisioned) -> None:
    tenant_id = ids.new_id("ten")
    _deliver([_counted(tenant_id, {_window(59): 4, _window(60): 6})], CONSUMER)
    assert _hours(tenant_id) == {"H#2026-03-14T23": 4, "H#2026-03-15T00": 6}
    assert _days(tenant_id) == {"D#2026-03-14": 4, "D#2026-03-15": 6}
    assert tenant_id in set(platform_usage.tenants_using(Meter.API_REQUESTS, "2026-03"))


def test_a_transaction_whose_answer_was_lost_adds_its_requests_once(tenant_id: str, faults: FaultInjector) -> None:
    """DynamoDB committed the count, its answer was lost and botocore sent it again: the second attempt fails on the
    window's held count, and a fresh read finds nothing left to add."""
    faults.fail("dynamodb", "TransactWriteItems", READ_TIMEOUT, attempts={1}, response_lost=True)
    assert _deliver([_counted(tenant_id, {_window(0): 7})], CONSUMER) == {"batchItemFailures": []}
    assert faults.attempts["dynamodb.TransactWriteItems"] == 2
    assert _hours(tenant_id) == {"H#2026-03-14T23": 7}


def test_a_window_counted_by_another_consumer_in_between_adds_only_what_is_left(
        tenant_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _deliver([_counted(tenant_id, {_window(0): 5})], CONSUMER)
    reads: list[dict[int, int]] = []
    held = api_requests._held

    def stale_once(tenant: str, hour: str) -> dict[int, int]:
        """The first read is from before the other consumer's write."""
        reads.append(held(tenant, hour))
        return {} if len(reads) == 1 else reads[-1]

    monkeypatch.setattr(api_requests, "_held", stale_once)
    assert _deliver([_counted(tenant_id, {_window(0): 8})], CONSUMER) == {"batchItemFailures": []}
    assert len(reads) == 2  # the stale write failed its condition; the second read added 3
    assert _hours(tenant_id) == {"H#2026-03-14T23": 8}


def test_counts_of_two_tenants_stay_apart(aws: Provisioned) -> None:
    first, second = ids.new_id("ten"), ids.new_id("ten")
    _deliver([_counted(first, {_window(0): 2}), _counted(second, {_window(0): 11})], CONSUMER)
    assert (_hours(first), _hours(second)) == ({"H#2026-03-14T23": 2}, {"H#2026-03-14T23": 11})
