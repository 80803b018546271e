"""Cold start: a fresh process per run, timed from the child's first line to the end of its first invocation.

The cases run interleaved (A B C A B C ...) so machine noise hits them alike. Round 0 is not timed (but in the
smoke run): it checks that every handler gives the same answer, lists the AWS calls of a first invocation and
warms the page cache.
"""

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from atrium import manifest
from atrium.kernel.http.routing import RouteSpec
from bench.moto_world import MotoWorld
from bench.report import Table
from bench.scale import Scale
from bench.spawn import ChildRun
from bench.stats import median, ms, ratio
from bench.subjects import (
    BASELINE,
    COOKBOOK,
    MONOLITH,
    PEER,
    POWERTOOLS,
    ROUTE_FUNCTION,
    VENV,
    Handler,
    Runtime,
    run_in_child,
)
from tests.support.aws_hook import describe


@dataclass(frozen=True)
class Case:
    spec: RouteSpec
    handler: Handler
    runtime: Runtime


@dataclass
class CaseResult:
    case: Case
    aws_calls: str
    init: list[float] = field(default_factory=list)  # import + module-scope set-up + first invocation
    imports: list[float] = field(default_factory=list)
    first_call: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)  # the whole process, as the parent saw it


@dataclass(frozen=True)
class ColdStart:
    results: list[CaseResult]
    rounds: int

    def baseline(self, result: CaseResult, handler: Handler = BASELINE) -> CaseResult:
        return next(r for r in self.results if r.case.handler == handler and r.case.spec == result.case.spec
                    and r.case.runtime == result.case.runtime)

    def find(self, operation_id: str, handler: Handler, runtime: Runtime) -> CaseResult | None:
        return next((r for r in self.results if r.case.spec.operation_id == operation_id
                     and r.case.handler == handler and r.case.runtime == runtime), None)

    def table(self) -> Table:
        rows = []
        for r in self.results:
            base, peer = self.baseline(r), self.baseline(r, PEER)
            rows.append((f"{r.case.spec.method} {r.case.spec.path}", r.case.handler.name, r.case.runtime.name,
                         ms(median(r.init)), ratio(median(r.init), median(base.init)),
                         ratio(median(r.init), median(peer.init)), ms(median(r.imports)),
                         ms(median(r.first_call)), ms(median(r.wall)), ratio(median(r.wall), median(base.wall)),
                         r.aws_calls))
        return Table(
            f"Cold start: median of {self.rounds} fresh processes per row",
            ("request", "handler", "runtime", "init ms", "init vs PT", "init vs cookbook", "import ms", "1st call ms",
             "process ms", "process vs PT", "AWS calls in 1st call"),
            rows,
            notes=("init = from the child's first line to the end of its first invocation (import + set-up + "
                   "first call); process = the whole child process as its parent saw it (spawn, interpreter "
                   "start-up, init, exit).",
                   "vs PT = ratio of medians to the minimal Powertools handler on the same request and runtime; vs "
                   "cookbook = to the cookbook-style handler (Powertools resolver with validation, pydantic "
                   "models, PynamoDB, the Powertools logger, tracer and metrics: bench/handlers/"
                   "powertools_cookbook.py).",
                   "AWS calls go over HTTP to a moto server on this machine: their latency is not DynamoDB's.",
                   "runtime 'venv': this machine's Python with the venv's dependencies and their bytecode, "
                   "Atrium's own code from source. 'layers': build/layers as Lambda loads them, by the "
                   "Lambda's Python with -S (nothing from the venv; the interpreter start-up in 'process' is a "
                   "little shorter), with the bytecode layers/build.sh compiled and without it."),
        )


def _cases(routes: Sequence[str], runtimes: Sequence[Runtime]) -> list[Case]:
    cases: list[Case] = []
    for operation_id in routes:
        spec = manifest.route(operation_id)
        for runtime in runtimes:
            # The all-routes app is compared once; without bytecode it would only repeat the route function's story.
            handlers = (ROUTE_FUNCTION, COOKBOOK, POWERTOOLS) + ((MONOLITH,) if runtime == VENV else ())
            cases.extend(Case(spec, handler, runtime) for handler in handlers)
    return cases


def _check_same_answers(answers: Sequence[tuple[Case, int, list[str]]]) -> None:
    """Equal status and body fields per request, or the comparison would be meaningless."""
    by_request: dict[str, set[tuple[int, tuple[str, ...]]]] = defaultdict(set)
    for case, status, fields in answers:
        if not 200 <= status < 300:
            raise RuntimeError(f"{case.handler.name} answered {case.spec.operation_id} with {status}")
        by_request[case.spec.operation_id].add((status, tuple(fields)))
    for operation_id, distinct in by_request.items():
        if len(distinct) > 1:
            raise RuntimeError(f"the handlers answer {operation_id} differently: {sorted(distinct)}")


def _timed(result: CaseResult, child: ChildRun) -> None:
    result.imports.append(child.result["import_s"])
    result.first_call.append(child.result["first_call_s"])
    result.init.append(child.result["import_s"] + child.result["first_call_s"])
    result.wall.append(child.wall_seconds)


def run(world: MotoWorld, scale: Scale, runtimes: Sequence[Runtime]) -> ColdStart:
    results, answers, rounds = [], [], scale.timed_rounds
    for case in _cases(scale.routes, runtimes):
        child = run_in_child(world, case.handler, case.runtime, case.spec, "counted_cold")
        first = child.result
        answers.append((case, first["status"], sorted(json.loads(first["body"]))))
        calls = describe(f"{service}:{operation}" for service, operation in first["aws_calls"])
        result = CaseResult(case, calls)
        if not rounds:
            _timed(result, child)
        results.append(result)
    _check_same_answers(answers)
    for number in range(1, rounds + 1):
        print(f"  cold start round {number}/{rounds}", file=sys.stderr)
        for result in results:
            _timed(result, run_in_child(world, result.case.handler, result.case.runtime, result.case.spec, "cold"))
    return ColdStart(results, scale.rounds)
