"""Sync vs async endpoints under Mangum: the same route (GET /v1/tenant) built three ways
(bench/handlers/route_variants.py), measured side by side.

- Cold start: a fresh process per variant and round, interleaved (A B C, A B C, ...), as bench/cold_start.py.
- Warm: every variant in the same process, invoked in turn with the order rotating each cycle, in a few
  processes; a probe invocation per variant counts its trips into anyio's threadpool and where its GetItem ran.

The conclusion is computed: the variant with the lowest warm median wins, and the line says by how much, warm
and cold, and in how many processes (warm) and rounds (cold) it was faster.
"""

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from atrium import manifest
from bench.handlers import route_variants
from bench.handlers.route_variants import OPERATION_ID, SELECTOR, VARIANTS, Variant
from bench.moto_world import MotoWorld
from bench.report import Table
from bench.scale import Scale
from bench.stats import median, ms, p90, ratio
from bench.subjects import VENV, Handler, run_in_child

WARMUP = 20
ENTRY = "bench.handlers.route_variant"
FACTORY = f"{route_variants.__name__}:build"


@dataclass
class VariantResult:
    variant: Variant
    init: list[float] = field(default_factory=list)  # per cold round
    imports: list[float] = field(default_factory=list)
    first_call: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)  # warm, every invocation of every process
    own: list[float] = field(default_factory=list)  # the same minus the time inside AWS calls
    process_medians: list[float] = field(default_factory=list)  # warm median per process
    hops: int = 0
    aws_threads: str = ""


def _consistency(wins: int, comparisons: int, unit: str) -> str:
    """``faster in 3/3 processes``; flagged as noise unless one side won at least three times in four."""
    noise = "" if comparisons and not 0.25 < wins / comparisons < 0.75 else "within noise: "
    return f"{noise}faster in {wins}/{comparisons} {unit}"


def _percent_faster(value: float, other: float) -> str:
    """``12% faster`` when value is below other, ``3% slower`` above it."""
    change = (other - value) / other
    size = f"{abs(change):.1%}" if abs(change) < 0.01 else f"{abs(change):.0%}"
    return f"{size} {'faster' if change >= 0 else 'slower'}"


@dataclass(frozen=True)
class SyncAsync:
    results: list[VariantResult]
    rounds: int
    invocations: int
    processes: int

    def baseline(self) -> VariantResult:
        return self.results[0]

    def winner(self) -> VariantResult:
        return min(self.results, key=lambda r: median(r.total))

    def conclusion(self) -> str:
        win = self.winner()
        other = self.baseline() if win is not self.baseline() else min(
            (r for r in self.results if r is not win), key=lambda r: median(r.total))
        warm_wins = sum(a < b for a, b in zip(win.process_medians, other.process_medians, strict=True))
        cold_wins = sum(a < b for a, b in zip(win.init, other.init, strict=True))
        return (f"choose {win.variant.name}: it is {_percent_faster(median(win.total), median(other.total))} warm "
                f"({ms(median(win.total))} vs {ms(median(other.total))} ms per invocation, "
                f"{_consistency(warm_wins, len(win.process_medians), 'processes')}; excl. AWS "
                f"{ms(median(win.own))} vs {ms(median(other.own))} ms) / "
                f"{_percent_faster(median(win.init), median(other.init))} cold ({ms(median(win.init))} vs "
                f"{ms(median(other.init))} ms init, {_consistency(cold_wins, len(win.init), 'rounds')}) than "
                f"{other.variant.name}.")

    def warm_saving_ms(self) -> float:
        """How much less the winner takes per warm invocation than the other side of the conclusion."""
        win = self.winner()
        other = self.baseline() if win is not self.baseline() else min(
            (r for r in self.results if r is not win), key=lambda r: median(r.total))
        return (median(other.total) - median(win.total)) * 1000

    def table(self) -> Table:
        base = self.baseline()
        rows = [(r.variant.name, str(r.hops), r.aws_threads, ms(median(r.init)),
                 ratio(median(r.init), median(base.init)), ms(median(r.imports)), ms(median(r.first_call)),
                 ms(median(r.total)), ms(p90(r.total)),
                 ratio(median(r.total), median(base.total)), ms(median(r.own)),
                 ratio(median(r.own), median(base.own)))
                for r in self.results]
        spec = manifest.route(OPERATION_ID)
        return Table(
            f"Sync vs async endpoint under Mangum: {spec.method} {spec.path} (cold: median of {self.rounds} "
            f"interleaved rounds; warm: {self.invocations} invocations per variant in each of {self.processes} "
            "processes, interleaved)",
            ("endpoint", "threadpool trips", "GetItem ran on", "init ms", "init vs sync", "import ms",
             "1st call ms", "warm median ms", "warm p90 ms", "warm vs sync", "excl. AWS median ms",
             "excl. AWS vs sync"),
            rows,
            notes=(f"Conclusion: {self.conclusion()}",
                   "Each variant is Atrium's declaration of the route with only the endpoint swapped, built by "
                   "the route functions' own route_handler (app factory, Mangum, Powertools wrappers); the sync "
                   "row is exactly what functions/api.py serves.",
                   "threadpool trips = calls into anyio.to_thread.run_sync per request (one probe request, not "
                   "timed): FastAPI runs a sync endpoint in the threadpool and then validates its return value "
                   "there too.",
                   "An async endpoint that blocks (PynamoDB, boto3) is safe in Lambda, which gives a process one "
                   "event at a time; in a server with concurrent requests (the local stack's uvicorn) it stalls "
                   "every other request while it waits for DynamoDB.",
                   "vs sync = ratio of medians to Atrium's sync endpoint."),
        )


def _handler(variant: Variant) -> Handler:
    return Handler(variant.name, ENTRY, env=((SELECTOR, variant.key),))


def _check_same_answers(answers: Sequence[tuple[Variant, int, str]]) -> None:
    distinct = {(status, tuple(sorted(json.loads(body)))) for _, status, body in answers}
    bad = [f"{variant.name}: {status}" for variant, status, _ in answers if not 200 <= status < 300]
    if bad or len(distinct) > 1:
        raise RuntimeError(f"the sync and async variants answer differently: {bad or sorted(distinct)}")


def _timed(result: VariantResult, child: dict[str, Any]) -> None:
    result.imports.append(child["import_s"])
    result.first_call.append(child["first_call_s"])
    result.init.append(child["import_s"] + child["first_call_s"])


def run(world: MotoWorld, scale: Scale) -> SyncAsync:
    spec, rounds, invocations, processes = manifest.route(OPERATION_ID), scale.timed_rounds, scale.invocations, \
        scale.warm_processes
    results = [VariantResult(variant) for variant in VARIANTS]
    answers = []
    for result in results:  # round 0, not timed (but in the smoke run): the answers agree, the page cache is warm
        first = run_in_child(world, _handler(result.variant), VENV, spec, "counted_cold").result
        answers.append((result.variant, first["status"], first["body"]))
        if not rounds:
            _timed(result, first)
    _check_same_answers(answers)
    for number in range(1, rounds + 1):
        print(f"  sync vs async cold start round {number}/{rounds}", file=sys.stderr)
        for result in results:
            _timed(result, run_in_child(world, _handler(result.variant), VENV, spec, "cold").result)
    keys = [variant.key for variant in VARIANTS]
    probe_answers = []
    for number in range(processes):
        print(f"  sync vs async warm, process {number + 1}/{processes}", file=sys.stderr)
        child = run_in_child(world, _handler(VARIANTS[0]), VENV, spec, "warm_interleaved", factory=FACTORY,
                             variants=keys[number % len(keys):] + keys[:number % len(keys)], warmup=WARMUP,
                             invocations=invocations).result
        for result in results:
            samples = child["samples"][result.variant.key]
            result.total += [s[0] for s in samples]
            result.own += [s[0] - s[1] for s in samples]
            result.process_medians.append(median([s[0] for s in samples]))
            probe = child["probes"][result.variant.key]
            result.hops = probe["threadpool_hops"]
            result.aws_threads = ", ".join(sorted({thread for _, thread in probe["aws_threads"]})) or "-"
            probe_answers.append((result.variant, probe["status"], probe["body"]))
    _check_same_answers(probe_answers)
    return SyncAsync(results, scale.rounds, invocations, processes)
