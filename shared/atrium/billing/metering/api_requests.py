"""The ``api_requests`` meter, from the rate limiter's counts (``billing.requests_counted``: per one-minute window,
the highest count the stream relay saw; ``kernel/events/request_counts.py``).

Each hour counter also keeps the count it holds of each of the hour's windows (attribute ``w<minute>``). An event
adds only what passes those counts, in one transaction conditioned on them as read: a duplicate, late or
overlapping event adds nothing twice, and of two consumers adding the same window at once the second fails its
condition, reads again and adds what is left. One GetItem per hour the event names (one, mostly) and one
TransactWriteItems.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from atrium.billing.metering import counters, platform_usage
from atrium.billing.metering.counters import Granularity, usage_pk
from atrium.billing.metering.events import RequestsCounted
from atrium.billing.metering.meters import Meter
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store.models import Item

METER = Meter.API_REQUESTS
# Reads and tries again this many times when another consumer counted one of the windows in between.
ATTEMPTS = 3

Windows = dict[int, int]  # window start (epoch seconds) -> count


def count_requests(event: Envelope) -> None:
    """The consumer ``billing.count_api_requests``."""
    windows = RequestsCounted.model_validate(event.data).windows
    for _ in range(ATTEMPTS):
        try:
            _add_new(event.tenant_id, windows)
            return
        except TransactWriteError as error:
            if not any(reason is not None and reason.code in ("ConditionalCheckFailed", "TransactionConflict")
                       for reason in error.cancellation_reasons):
                raise
    raise RuntimeError("requests not counted: their windows kept changing; the message is retried")


def _add_new(tenant_id: str, windows: Windows) -> None:
    by_hour: dict[str, Windows] = {}
    for start, count in windows.items():
        by_hour.setdefault(Granularity.HOUR.bucket(_time(start)), {})[start] = count
    news = []
    for hour, counts in by_hour.items():
        held = _held(tenant_id, hour)
        if passed := {start: count for start, count in counts.items() if count > held.get(start, 0)}:
            news.append((hour, held, passed))
    if not news:
        return  # all counted before
    days: Counter[str] = Counter()
    months: Counter[str] = Counter()
    with TransactWrite(connection=Item._get_connection().connection) as transaction:
        for hour, held, passed in news:
            added = sum(count - held.get(start, 0) for start, count in passed.items())
            attributes = {start: NumberAttribute(attr_name=_attribute(start)) for start in passed}
            conditions = [attribute == held[start] if start in held else attribute.does_not_exist()
                          for start, attribute in attributes.items()]
            counters.add(transaction, tenant_id, METER, hour, added,
                         also=[attributes[start].set(count) for start, count in passed.items()],
                         condition=_all(conditions))
            at = _time(min(passed))
            days[Granularity.DAY.bucket(at)] += added
            months[platform_usage.month_of(at)] += added
        for day, added in days.items():
            counters.add(transaction, tenant_id, METER, day, added)
        for month, added in months.items():
            platform_usage.add(transaction, tenant_id, METER, month, added)


def _held(tenant_id: str, hour: str) -> Windows:
    """The counts the hour's counter holds of its windows: one strongly consistent GetItem."""
    found = Item._get_connection().get_item(usage_pk(tenant_id, METER.value), hour, consistent_read=True)
    hour_start = int(datetime.strptime(hour, "H#%Y-%m-%dT%H").replace(tzinfo=UTC).timestamp())
    return {hour_start + 60 * int(name[1:]): int(value["N"]) for name, value in found.get("Item", {}).items()
            if name[0] == "w" and name[1:].isdigit()}


def _attribute(start: int) -> str:
    return f"w{start % 3600 // 60:02d}"


def _time(start: int) -> datetime:
    return datetime.fromtimestamp(start, UTC)


def _all(conditions: Sequence[Condition]) -> Condition:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined &= condition
    return combined
