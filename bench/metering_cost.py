"""Dollars per million metered events: what counting one event costs on its way through ``billing.count_usage``.

Computed from the calls the path makes per event, not measured: the bench runs no consumer (bench/aws_calls.py times
the routes, and no ``AWS_CALL_BUDGETS`` names a consumer). Per event:

- EventBridge: the domain event is published once by the stream relay whatever reads it (webhooks, audit, other
  consumers), and a rule's delivery to its SQS target is not charged: metering adds nothing there.
- SQS: EventBridge's SendMessage to the consumer's queue, and per batch the Lambda poller's ReceiveMessage and
  DeleteMessageBatch (64 KB of body per request: an envelope is far less).
- Lambda: a request per batch, and the duration of the event's work (assumed below) at the function's memory.
- DynamoDB: the counting transaction (``billing/metering/counters.py``: a guard item named after the event id, a day
  and an hour counter per meter, and a running total for a cumulative one, and the tenant's line of the platform's
  usage per meter; 2 WRU per item of up to 1 KB in a transaction, no index keys) and the runtime's record of the
  processed event (Powertools idempotency: a PutItem, then an UpdateItem, 1 WRU each).

The hourly report to Stripe and the daily reconciliation work per tenant and meter, not per event: not here.

API requests (``requests_table``) take another path: the rate limiter's write per request is there anyway, and the
relay turns a stream batch's window records into one ``billing.requests_counted`` per tenant, which
``billing.count_api_requests`` adds (a GetItem and a transaction of an hour and a day counter and the platform's
line; no guard item). The cost per request is that event's over the requests it covers: one on a quiet stage
(each request its own stream batch, and its own relay invocation), up to the relay's batch on a busy one.
"""

from collections import defaultdict

from atrium import manifest
from atrium.billing.metering.meters import Meter
from bench import prices
from bench.cost import MILLION, lambda_invocation
from bench.report import Table
from infra import sizing

CONSUMER = "billing.count_usage"
REQUESTS_CONSUMER = "billing.count_api_requests"
REQUESTS_ITEMS = 3  # the hour and the day counter, and the platform's usage line (api_requests.py)
REQUESTS_RRU = 1  # the strongly consistent GetItem of the hour counter (under 4 KB)
RELAY_BATCH = 100  # the relay's stream batch size (infra/constructs/events.py)
# Assumed, not measured: the Lambda time one event takes, its three DynamoDB calls (a PutItem, the transaction, an
# UpdateItem) at a few milliseconds each plus the runtime around them. Every 10 ms more at 512 MB is $0.083 per
# million events.
EVENT_MS = 30.0
IDEMPOTENCY_WRU = 2  # the processed-event record: a PutItem and an UpdateItem of an item under 1 KB
TRANSACTION_WRU_PER_ITEM = 2
SQS_SEND_PER_EVENT = 1  # EventBridge -> the queue
SQS_PER_BATCH = 2  # the poller's ReceiveMessage and DeleteMessageBatch


def transaction_items(meters: list[Meter]) -> int:
    """The items of the counting transaction of an event adding to ``meters`` (``counters.count``)."""
    return 1 + sum((3 if meter.cumulative else 2) + 1 for meter in meters)


def _wru(items: int) -> int:
    return items * TRANSACTION_WRU_PER_ITEM + IDEMPOTENCY_WRU


def _lambda_duration() -> float:
    """Dollars per million events of the assumed duration, without the invocation's request fee."""
    return lambda_invocation(EVENT_MS, sizing.MEMORY_MB) * MILLION - prices.LAMBDA_PER_MILLION_REQUESTS


def _per_million(batch: int, items: int) -> tuple[float, float, float]:
    """SQS, Lambda and DynamoDB dollars per million events, in batches of ``batch``."""
    sqs = (SQS_SEND_PER_EVENT + SQS_PER_BATCH / batch) * prices.SQS_PER_MILLION_REQUESTS
    lambda_usd = prices.LAMBDA_PER_MILLION_REQUESTS / batch + _lambda_duration()
    return sqs, lambda_usd, _wru(items) * prices.DYNAMODB_PER_MILLION_WRU


def _usd(value: float) -> str:
    return f"{value:.2f}"


def _notes(example: str, items: int, full: int) -> tuple[str, ...]:
    wru, ten_ms = _wru(items), lambda_invocation(10, sizing.MEMORY_MB) * MILLION - prices.LAMBDA_PER_MILLION_REQUESTS
    return (
        "Computed from the calls each event makes, not measured (bench/metering_cost.py): the bench runs no "
        f"consumer, and no AWS_CALL_BUDGETS entry names one (they are the routes'). {prices.STATEMENT}: DynamoDB "
        f"on-demand ${prices.DYNAMODB_PER_MILLION_WRU} per million WRU, SQS standard "
        f"${prices.SQS_PER_MILLION_REQUESTS:.2f} per million requests, Lambda x86 "
        f"${prices.LAMBDA_PER_MILLION_REQUESTS:.2f} per million requests and ${prices.LAMBDA_GB_SECOND:.10f} per "
        f"GB-second, EventBridge ${prices.EVENTBRIDGE_PER_MILLION_EVENTS:.2f} per million custom events "
        "(bench/prices.py, from AWS's pricing pages).",
        f"WRU = {TRANSACTION_WRU_PER_ITEM} per transaction item (each under 1 KB: a guard, a day and an hour counter "
        "per meter, a running total for a cumulative meter, the platform's usage line per meter) + "
        f"{IDEMPOTENCY_WRU} for the processed-event record (PutItem, UpdateItem); {example}: {items} x "
        f"{TRANSACTION_WRU_PER_ITEM} + {IDEMPOTENCY_WRU} = {wru} WRU x ${prices.DYNAMODB_PER_MILLION_WRU} = "
        f"${wru * prices.DYNAMODB_PER_MILLION_WRU:.2f} per million.",
        f"SQS = ({SQS_SEND_PER_EVENT} SendMessage + {SQS_PER_BATCH} requests per batch / batch size) x "
        f"${prices.SQS_PER_MILLION_REQUESTS:.2f}: batch 1 is a quiet queue (each event its own invocation), batch "
        f"{full} the consumer's batch size, full. The poller's empty long polls cost per queue and hour, not per "
        "event.",
        f"Lambda = ${prices.LAMBDA_PER_MILLION_REQUESTS:.2f} per million invocations / batch size + {EVENT_MS:.0f} ms "
        f"(ASSUMED, not measured) x {sizing.MEMORY_MB / 1024:g} GB x ${prices.LAMBDA_GB_SECOND:.10f} = "
        f"${_lambda_duration():.3f} per million events; every 10 ms more adds ${ten_ms:.3f}.",
        "EventBridge: $0 added. The relay publishes every domain event "
        f"(${prices.EVENTBRIDGE_PER_MILLION_EVENTS:.2f} per million) whether or not it is metered, and a rule's "
        "delivery to its queue is free; the counters' stream records are filtered out before the relay (no "
        "invocation). Not included: CloudWatch Logs and metrics; the hourly report to Stripe and "
        "the daily reconciliation (per tenant and meter, not per event: docs/billing.md gives their calls).",
    )


def table() -> Table:
    meters: dict[str, list[Meter]] = defaultdict(list)
    for metered in manifest.metered_events():
        meters[metered.event_type].append(metered.meter)
    full = manifest.consumer(CONSUMER).batch_size
    rows = []
    for event_type, counted in meters.items():
        items = transaction_items(counted)
        alone, batched = _per_million(1, items), _per_million(full, items)
        rows.append((event_type, ", ".join(meter.value for meter in counted), str(items), str(_wru(items)),
                     _usd(alone[2]), _usd(alone[0]), _usd(batched[0]), _usd(alone[1]), _usd(batched[1]),
                     _usd(sum(alone)), _usd(sum(batched))))
    example, counted = next(iter(meters.items()))
    return Table(
        f"Cost per million metered events ({CONSUMER}, {sizing.MEMORY_MB} MB, us-east-1, {prices.AS_OF} prices)",
        ("event", "meters", "transaction items", "WRU", "DynamoDB $/M", "SQS $/M (batch 1)",
         f"SQS $/M (batch {full})", "Lambda $/M (batch 1)", f"Lambda $/M (batch {full})", "total $/M (batch 1)",
         f"total $/M (batch {full})"),
        rows, notes=_notes(example, transaction_items(counted), full))


def requests_table() -> Table:
    """Dollars per million API requests metered (``billing.requests_counted``), quiet and busy."""
    sqs, lambda_usd, dynamodb = _per_million(1, REQUESTS_ITEMS)
    event = (prices.EVENTBRIDGE_PER_MILLION_EVENTS + sqs + lambda_usd + dynamodb
             + REQUESTS_RRU * prices.DYNAMODB_PER_MILLION_RRU)
    relay = prices.LAMBDA_PER_MILLION_REQUESTS + _lambda_duration()
    rows = [(label, str(requests), _usd(event / requests), _usd(relay / requests), _usd((event + relay) / requests))
            for label, requests in (("quiet: each request its own stream batch", 1),
                                    ("busy: a full stream batch of one tenant's requests", RELAY_BATCH))]
    return Table(
        f"Cost per million API requests metered ({REQUESTS_CONSUMER}, {sizing.MEMORY_MB} MB, {prices.AS_OF} prices)",
        ("stage", "requests per event", "event $/M requests", "relay invocation $/M requests", "total $/M requests"),
        rows, notes=(
            f"Computed, not measured, with the prices above. Per event: EventBridge "
            f"${prices.EVENTBRIDGE_PER_MILLION_EVENTS:.2f} (published for metering alone), SQS ${sqs:.2f} and the "
            f"consumer's Lambda ${lambda_usd:.2f} (a quiet queue, {EVENT_MS:.0f} ms ASSUMED), DynamoDB "
            f"{_wru(REQUESTS_ITEMS)} WRU ({REQUESTS_ITEMS} transaction items x {TRANSACTION_WRU_PER_ITEM} + "
            f"{IDEMPOTENCY_WRU} for the processed-event record) = ${dynamodb:.2f} and {REQUESTS_RRU} RRU = "
            f"${REQUESTS_RRU * prices.DYNAMODB_PER_MILLION_RRU:.3f}: ${event:.2f} per million events.",
            f"The relay's invocation (${prices.LAMBDA_PER_MILLION_REQUESTS:.2f} + {EVENT_MS:.0f} ms ASSUMED = "
            f"${relay:.2f} per million) is the metering's only on a quiet stage, where a request's window record "
            "is alone in its stream batch; on a busy one the batch holds outbox items too, which the relay reads "
            "anyway. The rate limiter's UpdateItem per request is the limiter's cost (above), not metering's.",
        ))
