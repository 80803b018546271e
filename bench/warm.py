"""Warm overhead: one process per handler and request; after a warm-up, N invocations of the same event.

"excl. AWS" subtracts the time spent inside AWS calls (botocore and the round trip to moto), leaving what the
handler's own stack costs per invocation.
"""

import sys
from dataclasses import dataclass

from atrium import manifest
from bench.moto_world import MotoWorld
from bench.report import Table
from bench.scale import Scale
from bench.stats import median, ms, p90, ratio
from bench.subjects import (
    BASELINE,
    COOKBOOK,
    MONOLITH,
    PEER,
    POWERTOOLS,
    ROUTE_FUNCTION,
    VENV,
    Handler,
    run_in_child,
)

HANDLERS = (ROUTE_FUNCTION, COOKBOOK, POWERTOOLS, MONOLITH)
WARMUP = 20


@dataclass(frozen=True)
class WarmResult:
    request: str
    handler: Handler
    total: list[float]  # seconds per invocation
    own: list[float]  # the same, minus the time inside AWS calls
    aws_calls: float  # per invocation, on average


@dataclass(frozen=True)
class Warm:
    results: list[WarmResult]
    invocations: int

    def baseline(self, result: WarmResult, handler: Handler = BASELINE) -> WarmResult:
        return next(r for r in self.results if r.handler == handler and r.request == result.request)

    def table(self) -> Table:
        rows = []
        for r in self.results:
            base, peer = self.baseline(r), self.baseline(r, PEER)
            rows.append((r.request, r.handler.name, ms(median(r.total)), ms(p90(r.total)),
                         ratio(median(r.total), median(base.total)), ratio(median(r.total), median(peer.total)),
                         ms(median(r.own)), ms(p90(r.own)), ratio(median(r.own), median(base.own)),
                         ratio(median(r.own), median(peer.own)), f"{r.aws_calls:g}"))
        return Table(
            f"Warm invocation: {self.invocations} invocations per row after {WARMUP} warm-up, one process per row",
            ("request", "handler", "median ms", "p90 ms", "median vs PT", "median vs cookbook",
             "excl. AWS median ms", "excl. AWS p90 ms", "excl. AWS vs PT", "excl. AWS vs cookbook", "AWS calls"),
            rows,
            notes=("excl. AWS = the invocation minus the time inside botocore's API calls (serialization, the HTTP "
                   "round trip to moto, parsing): the cost of the handler's own stack.",
                   "vs PT = ratio of medians to the minimal Powertools handler on the same request; vs cookbook = "
                   "to the cookbook-style handler."),
        )


def run(world: MotoWorld, scale: Scale) -> Warm:
    results, invocations = [], scale.invocations
    for operation_id in scale.routes:
        spec = manifest.route(operation_id)
        for handler in HANDLERS:
            print(f"  warm {operation_id}: {handler.name}", file=sys.stderr)
            child = run_in_child(world, handler, VENV, spec, "warm", warmup=WARMUP, invocations=invocations)
            samples = child.result["samples"]
            results.append(WarmResult(f"{spec.method} {spec.path}", handler, [s[0] for s in samples],
                                      [s[0] - s[1] for s in samples], sum(s[2] for s in samples) / len(samples)))
    return Warm(results, invocations)
