"""Dollars per million requests for every row of the AWS-calls table, and the same for an alternative design.

Ours, per request: the route Lambda (a request, plus its measured warm duration rounded up to the billing step,
at the configured memory), the HTTP API request, DynamoDB request units computed from the calls it made
(bench/capacity.py), and for an authenticated route the Lambda authorizer's invocation (its measured warm
duration), either on every request (cache miss) or on the share the authorizer cache misses.

The alternative is the design of AWS's serverless SaaS reference solution
(aws-samples/aws-saas-factory-ref-solution-serverless-saas, pooled model): (a) every tenant request works
under a tenant IAM role, assumed per request, and (b) each tenant's items are spread over 9 partitions
(``tenantId-1`` .. ``tenantId-9``), so a list fans out to 9 Queries while a get by key stays 1 call and a write
stays 1 item. STS is free; the role costs Lambda time: the AssumeRole round trip (an assumed figure, below;
moto cannot measure it) and the DynamoDB client made each request with the role's credentials (measured).

Prices live in bench/prices.py; the constants below are assumptions, not measurements, and the tables say so.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench import prices
from bench.aws_calls import AwsCalls
from bench.capacity import Units, row_units
from bench.report import Table
from bench.stats import median
from infra import sizing
from tests.support.aws_hook import describe

AUTHORIZER_CACHE_HIT_RATIO = 0.90  # assumed: share of authenticated requests the authorizer cache answers
STS_ASSUME_ROLE_MS = 20.0  # assumed: one AssumeRole round trip from a Lambda in the same region
SHARDS = 9  # the reference solution's partitions per tenant (suffixes 1..9)
ONE_VCPU_MB = 1769  # Lambda's CPU share grows with memory: 1,769 MB is one vCPU (AWS Lambda docs)
MILLION = 1_000_000


def _billed_ms(milliseconds: float) -> int:
    step = prices.LAMBDA_BILLING_MS
    return max(step, math.ceil(milliseconds / step) * step)


def lambda_invocation(milliseconds: float, memory: int) -> float:
    """Dollars for one invocation of ``milliseconds`` at ``memory`` MB."""
    gb_seconds = _billed_ms(milliseconds) / 1000 * memory / 1024
    return prices.LAMBDA_PER_MILLION_REQUESTS / MILLION + gb_seconds * prices.LAMBDA_GB_SECOND


def dynamodb(units: Units) -> float:
    return (units.rru * prices.DYNAMODB_PER_MILLION_RRU + units.total_wru * prices.DYNAMODB_PER_MILLION_WRU) / MILLION


@dataclass(frozen=True)
class Design:
    """One operation's cost under one design; dollars per request."""

    milliseconds: float
    calls: Sequence[str]  # DynamoDB operations, one entry per call
    units: Units
    lambda_usd: float
    api_usd: float
    dynamodb_usd: float
    authorizer_miss_usd: float  # the authorizer on every request; 0 for a public route

    def total(self, hit_ratio: float) -> float:
        authorizer = self.authorizer_miss_usd * (1 - hit_ratio)
        return self.lambda_usd + self.api_usd + self.dynamodb_usd + authorizer


@dataclass(frozen=True)
class OperationCost:
    row: Mapping[str, Any]
    ours: Design
    alternative: Design
    own_ms: float  # the median time outside AWS calls
    aws_ms: float  # the median time inside them (moto's latency here, not DynamoDB's)


@dataclass(frozen=True)
class CostModel:
    operations: list[OperationCost]
    authorizer_ms: float
    role_client_ms: float

    # -- tables ---------------------------------------------------------------------------------------------
    def _assumptions(self) -> tuple[str, ...]:
        return (
            f"{prices.STATEMENT}: Lambda x86 ${prices.LAMBDA_GB_SECOND:.10f} per GB-second and "
            f"${prices.LAMBDA_PER_MILLION_REQUESTS:.2f} per million requests, billed per {prices.LAMBDA_BILLING_MS} "
            f"ms; HTTP API ${prices.HTTP_API_PER_MILLION_REQUESTS:.2f} per million requests (first 300 M a month); "
            f"DynamoDB on-demand ${prices.DYNAMODB_PER_MILLION_WRU} per million WRU, "
            f"${prices.DYNAMODB_PER_MILLION_RRU} per million RRU; STS free (bench/prices.py).",
            f"Lambda memory {sizing.MEMORY_MB} MB, for the route functions and the authorizer alike; "
            f"architecture {sizing.ARCHITECTURE} (both from infra/sizing.py)"
            + ("." if sizing.ARCHITECTURE == "x86_64" else ": the prices above are x86's, so this table is off."),
            "ms = median warm request time measured in the AWS-calls process (bench/aws_calls.py); of which AWS "
            "ms = the median time inside AWS calls, which went to moto on this machine: moto's latency, not "
            f"DynamoDB's; billed ms = ms rounded up to the {prices.LAMBDA_BILLING_MS} ms billing step. This "
            f"machine's CPU is not a {sizing.MEMORY_MB} MB Lambda's either (see the findings).",
            "Request units from the calls each request made: a transactional write 2 WRU per KB of each item, a "
            "PutItem 1 WRU per KB, an eventually consistent GetItem 0.5 RRU per 4 KB, strongly consistent 1 RRU, "
            "transactional 2 RRU; item sizes computed from the items in the requests and responses. GSI WRU: "
            "a written item carrying an index's keys is written to that index too (projection ALL, 1 WRU per KB).",
            f"authorizer: the Lambda authorizer, {self.authorizer_ms:.2f} ms warm (median, measured), billed as one "
            "invocation per request on a cache miss; the API caches its answer "
            f"{sizing.AUTHORIZER_CACHE_TTL_SECONDS} s (infra/sizing.py); the cached column assumes "
            f"{AUTHORIZER_CACHE_HIT_RATIO:.0%} of "
            "authenticated requests hit the cache (an assumption: it depends on how often each token calls).",
            "Not included: CloudWatch Logs and X-Ray, data transfer, storage, and the event path a write starts "
            "(stream relay Lambda, EventBridge, SQS, consumer Lambda).",
        )

    def table(self) -> Table:
        rows = []
        for cost in self.operations:
            ours = cost.ours
            rows.append((cost.row["operation_id"], cost.row["request"], str(cost.row["status"]),
                         f"{ours.milliseconds:.2f}", f"{cost.aws_ms:.2f}", str(_billed_ms(ours.milliseconds)),
                         _units(ours.units.rru),
                         _units(ours.units.wru), _units(ours.units.index_wru),
                         _usd(ours.lambda_usd), _usd(ours.api_usd), _usd(ours.dynamodb_usd),
                         _usd(ours.authorizer_miss_usd) if ours.authorizer_miss_usd else "-",
                         _usd(ours.total(0.0)), _usd(ours.total(AUTHORIZER_CACHE_HIT_RATIO))))
        hits = f"{AUTHORIZER_CACHE_HIT_RATIO:.0%}"
        return Table(
            f"Cost per million requests, as deployed ({sizing.MEMORY_MB} MB {sizing.ARCHITECTURE}, us-east-1, "
            f"{prices.AS_OF} prices)",
            ("operation id", "request", "status", "ms", "of which AWS ms", "billed ms", "RRU", "WRU", "GSI WRU",
             "Lambda $/M", "HTTP API $/M", "DynamoDB $/M", "authorizer $/M", "total $/M (auth miss)",
             f"total $/M ({hits} auth cached)"),
            rows, notes=self._assumptions())

    def comparison(self) -> Table:
        hits = AUTHORIZER_CACHE_HIT_RATIO
        rows = [(cost.row["operation_id"], cost.row["request"], str(_billed_ms(cost.ours.milliseconds)),
                 str(_billed_ms(cost.alternative.milliseconds)), describe(cost.ours.calls),
                 describe(cost.alternative.calls), _units(cost.ours.units.rru),
                 _units(cost.alternative.units.rru), _usd(cost.ours.total(hits)),
                 _usd(cost.alternative.total(hits)), f"{cost.alternative.total(hits) / cost.ours.total(hits):.2f}x")
                for cost in self.operations]
        return Table(
            f"Cost per million requests: ours vs a tenant role per request and {SHARDS} partitions per tenant",
            ("operation id", "request", "ours billed ms", "alt billed ms", "ours DynamoDB calls",
             "alt DynamoDB calls", "ours RRU", "alt RRU", "ours $/M", "alt $/M", "alt vs ours"),
            rows,
            notes=(
                "alt = the pooled model of aws-samples/aws-saas-factory-ref-solution-serverless-saas: every "
                f"tenant request assumes a tenant IAM role, and each tenant's items spread over {SHARDS} partitions "
                f"(a list is {SHARDS} Queries, run in parallel threads; a get by key stays 1 call; a write stays 1 "
                "item). The reference's own authorizer makes the AssumeRole (to ride on the authorizer cache) and "
                "hands the credentials to the function; this model makes it in the route function on every "
                "request, the other option its authorizer's comment names (the findings price both).",
                f"alt ms = ours + {STS_ASSUME_ROLE_MS:g} ms for STS AssumeRole (ASSUMED: moto cannot measure it; "
                f"STS itself is free) + {self.role_client_ms:.2f} ms to make a DynamoDB client with the role's "
                "credentials (measured here: median of boto3.resource('dynamodb', <temporary credentials>), which "
                "the reference makes on every request), on authenticated routes only; public routes have no tenant "
                f"role to assume. The {SHARDS} parallel Queries are counted as one Query's time (a lower bound).",
                f"$/M on both sides with the authorizer cached at {hits:.0%} hits and the same prices, memory and "
                "request units as the table above.",
            ),
        )

    def per_ms_per_million(self) -> float:
        """Dollars per million requests for each billed millisecond at the configured memory."""
        return (lambda_invocation(2.0, sizing.MEMORY_MB) - lambda_invocation(1.0, sizing.MEMORY_MB)) * MILLION

    def cpu_stretch(self) -> float:
        """How much slower CPU-bound code runs at the configured memory than on one whole vCPU."""
        return max(1.0, ONE_VCPU_MB / sizing.MEMORY_MB)

    # -- findings -------------------------------------------------------------------------------------------
    def findings(self) -> list[str]:
        lines = [self._shares(), self._authorizer(), self._rate_limiter(), self._alternative(), self._moto_latency(),
                 self._cpu_share()]
        unmeasured = [cost.row["request"] for cost in self.operations if cost.row.get("calls_vary")]
        if unmeasured:
            lines.append(f"These requests made different AWS calls on repeats (their cost uses the first): "
                         f"{', '.join(unmeasured)}.")
        return [line for line in lines if line]

    def _shares(self) -> str:
        hits = AUTHORIZER_CACHE_HIT_RATIO
        parts = []
        for cost in self.operations:
            ours, total = cost.ours, cost.ours.total(hits)
            pieces = {"HTTP API": ours.api_usd, "DynamoDB": ours.dynamodb_usd, "Lambda": ours.lambda_usd,
                      "authorizer": ours.authorizer_miss_usd * (1 - hits)}
            top = max(pieces, key=lambda name: pieces[name])
            parts.append(f"{cost.row['request']} ${total * MILLION:.2f} ({top} {pieces[top] / total:.0%})")
        return (f"Cost per million requests ({sizing.MEMORY_MB} MB, authorizer cached at {hits:.0%}, "
                f"{prices.STATEMENT}), with the largest part of each: " + "; ".join(parts) + ".")

    def _authorizer(self) -> str:
        invocation = lambda_invocation(self.authorizer_ms, sizing.MEMORY_MB)
        return (f"The authorizer runs {self.authorizer_ms:.2f} ms warm (billed {_billed_ms(self.authorizer_ms)} "
                f"ms): ${invocation * MILLION:.4f} per million invocations, almost all of it Lambda's request "
                f"fee; at {AUTHORIZER_CACHE_HIT_RATIO:.0%} cache hits it adds "
                f"${invocation * (1 - AUTHORIZER_CACHE_HIT_RATIO) * MILLION:.4f} per million authenticated "
                "requests, on a miss every time the full amount.")

    def _rate_limiter(self) -> str:
        """What counting each request against its caller's limits adds (kernel/http/rate_limits.py)."""
        limiter = [row_units(cost.row["rate_limit"]) for cost in self.operations]
        calls = [len(cost.row["rate_limit"]) for cost in self.operations]
        usd = [dynamodb(units) * MILLION for units in limiter]
        return (f"The rate limiter adds {_span(calls, '{:g}')} DynamoDB call per request (one UpdateItem of its "
                f"window, {_span([u.total_wru for u in limiter], '{:g}')} WRU): {_span(usd, '${:.2f}')} per million "
                "requests, included in the costs above; none while a process knows the window is used up.")

    def _alternative(self) -> str:
        hits = AUTHORIZER_CACHE_HIT_RATIO
        private = [cost for cost in self.operations if not cost.row["public"]]
        if not private:
            return ""
        ratios = [cost.alternative.total(hits) / cost.ours.total(hits) for cost in private]
        extra = [(cost.alternative.total(hits) - cost.ours.total(hits)) * MILLION for cost in private]
        queries = sum(call == "Query" for cost in self.operations for call in cost.ours.calls)
        list_page = self._list_page()
        sharding = (f"No operation makes a Query yet, so the {SHARDS}-way sharding adds nothing today. "
                    if not queries else f"{queries} Query calls in this table fan out {SHARDS} ways. ")
        return (f"The alternative (tenant role per request, {SHARDS} partitions) costs {_span(ratios, '{:.2f}x')} "
                f"ours on authenticated operations (+{_span(extra, '${:.3f}')} per million), "
                f"{'all of it' if not queries else 'mostly'} Lambda time: {STS_ASSUME_ROLE_MS:g} ms of assumed "
                f"AssumeRole plus {self.role_client_ms:.2f} ms measured to make a client with the role's "
                f"credentials, on every request. {self._role_in_authorizer()} Atrium signs tenant-owned calls with a "
                f"tenant session too (docs/decisions.md), but assumes it once per tenant, process and hour and keeps "
                f"its client: those {STS_ASSUME_ROLE_MS:g} ms are shared by all of that tenant's requests to a warm "
                f"function in that hour (not in the tables: the local stack runs without the role). "
                f"{sharding}{list_page}")

    def _role_in_authorizer(self) -> str:
        """The reference's own placement: AssumeRole in the authorizer, paid only on authorizer cache misses."""
        hits, per_ms = AUTHORIZER_CACHE_HIT_RATIO, self.per_ms_per_million()
        return (f"Made in the authorizer instead, as the reference does, the AssumeRole is paid only on cache "
                f"misses: about +${STS_ASSUME_ROLE_MS * per_ms * (1 - hits):.4f} per million at {hits:.0%} hits "
                f"(the per-request client still about ${self.role_client_ms * per_ms:.4f}), and the tenant's "
                "credentials then live as long as the cached answer.")

    @staticmethod
    def _list_page() -> str:
        """What a one-page list would read, computed with the same rules as the tables."""
        page = [{"operation": "Query", "consistent_read": False, "items": [{"action": "Query", "size": 4096}]}]
        ours, sharded = row_units(page), row_units(page, shards=SHARDS)
        return (f"A list page of up to 4 KB (1 eventually consistent Query) would read {ours.rru:g} RRU here and "
                f"{sharded.rru:g} RRU over {SHARDS} partitions (${dynamodb(ours) * MILLION:.4f} vs "
                f"${dynamodb(sharded) * MILLION:.4f} per million).")

    def _moto_latency(self) -> str:
        """Where the billed time is mostly moto's: writes whose time is inside AWS calls."""
        slow = [cost for cost in self.operations if cost.aws_ms > 10 and cost.aws_ms > 0.5 * cost.ours.milliseconds]
        if not slow:
            return ""
        per_10ms = 10 * self.per_ms_per_million()
        listed = ", ".join(f"{cost.row['request']} ({cost.aws_ms:.1f} of {cost.ours.milliseconds:.1f} ms; "
                           f"{_slowest(cost.row['dynamodb'])})" for cost in slow)
        return (f"The billed time of some requests is mostly moto's: {listed} spent most of it inside AWS calls to "
                f"moto on this machine; DynamoDB's latency would differ. At {sizing.MEMORY_MB} MB every 10 ms is "
                f"${per_10ms:.3f} per million, so the totals barely move: request units are computed from the "
                "calls, not timed.")

    def _cpu_share(self) -> str:
        """How the most CPU-bound operation's Lambda charge moves if its CPU time stretched to the configured
        memory's CPU share."""
        stretch = self.cpu_stretch()
        if stretch <= 1 or not self.operations:
            return ""
        cost = max(self.operations, key=lambda c: c.own_ms)
        stretched_ms = cost.ours.milliseconds + cost.own_ms * (stretch - 1)
        now = lambda_invocation(cost.ours.milliseconds, sizing.MEMORY_MB) * MILLION
        then = lambda_invocation(stretched_ms, sizing.MEMORY_MB) * MILLION
        total = cost.ours.total(AUTHORIZER_CACHE_HIT_RATIO) * MILLION
        return (f"CPU share: at {sizing.MEMORY_MB} MB a function gets about {1 / stretch:.2f} of a vCPU (one vCPU at "
                f"{ONE_VCPU_MB} MB); these requests ran on a whole core of this machine. {cost.row['request']} spends "
                f"the most time outside AWS calls ({cost.own_ms:.1f} of {cost.ours.milliseconds:.1f} ms); if that "
                f"stretched {stretch:.1f}x it would run {stretched_ms:.0f} ms and its Lambda charge would go from "
                f"${now:.2f} to ${then:.2f} per million (total ${total:.2f} -> ${total - now + then:.2f}).")


def _slowest(calls: Sequence[Mapping[str, Any]]) -> str:
    """The slowest DynamoDB call of a row's first request: ``its TransactWriteItems took 40.1 ms``."""
    if not calls:
        return "no DynamoDB call"
    call = max(calls, key=lambda c: c["seconds"])
    return f"its {call['operation']} took {call['seconds'] * 1000:.1f} ms"


def _span(values: Sequence[float], form: str) -> str:
    low, high = form.format(min(values)), form.format(max(values))
    return low if low == high else f"{low} to {high}"


def _usd(dollars_per_request: float) -> str:
    return f"{dollars_per_request * MILLION:.4f}"


def _units(value: float) -> str:
    return f"{value:g}"


def _design(row: Mapping[str, Any], calls: Sequence[Mapping[str, Any]], milliseconds: float, memory: int,
            authorizer_ms: float, *, shards: int = 1) -> Design:
    operations = [call["operation"] for call in calls for _ in range(shards if call["operation"] == "Query" else 1)]
    units = row_units(calls, shards=shards)
    authorizer = 0.0 if row["public"] else lambda_invocation(authorizer_ms, memory)
    return Design(milliseconds, operations, units, lambda_invocation(milliseconds, memory),
                  prices.HTTP_API_PER_MILLION_REQUESTS / MILLION, dynamodb(units), authorizer)


def model(calls: AwsCalls) -> CostModel:
    memory, authorizer_ms = sizing.MEMORY_MB, median(calls.authorizer_s) * 1000
    role_client_ms = median(calls.role_client_s) * 1000
    operations = []
    for row in calls.rows:
        ours_ms = median(row["elapsed_s"]) * 1000
        dynamodb_calls: list[Mapping[str, Any]] = [*row["dynamodb"], *row["rate_limit"]]
        own_ms = median([total - aws for total, aws in zip(row["elapsed_s"], row["aws_s"], strict=True)]) * 1000
        role_ms = 0.0 if row["public"] else STS_ASSUME_ROLE_MS + role_client_ms
        ours = _design(row, dynamodb_calls, ours_ms, memory, authorizer_ms)
        alternative = _design(row, dynamodb_calls, ours_ms + role_ms, memory, authorizer_ms,
                              shards=1 if row["public"] else SHARDS)
        aws_ms = median(row["aws_s"]) * 1000
        operations.append(OperationCost(row, ours, alternative, own_ms, aws_ms))
    return CostModel(operations, authorizer_ms, role_client_ms)
