"""The interpretation in docs/benchmarks.md, computed from this run's numbers so it never goes stale."""

from bench.aws_calls import AwsCalls
from bench.cold_start import ColdStart
from bench.cost import CostModel
from bench.import_profile import ImportProfile
from bench.stats import median, ms
from bench.subjects import COOKBOOK, MONOLITH, POWERTOOLS, ROUTE_FUNCTION, VENV, Runtime
from bench.sync_async import SyncAsync
from bench.warm import Warm
from infra import sizing

# The cold-start targets: a route function initializes within 1.3x the cookbook-style handler, and in at most
# half the time of one app holding every route.
COOKBOOK_TARGET, MONOLITH_TARGET = 1.3, 0.5


def _verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}x (target at most {target}x: {'met' if ratio <= target else 'NOT met'})"


def _cold(cold: ColdStart) -> list[str]:
    lines = []
    for operation_id in dict.fromkeys(r.case.spec.operation_id for r in cold.results):
        route, baseline = cold.find(operation_id, ROUTE_FUNCTION, VENV), cold.find(operation_id, POWERTOOLS, VENV)
        cookbook, monolith = cold.find(operation_id, COOKBOOK, VENV), cold.find(operation_id, MONOLITH, VENV)
        if route is None or baseline is None or cookbook is None or monolith is None:
            continue
        init, base = median(route.init), median(baseline.init)
        lines.append(
            f"Cold start of {route.case.spec.method} {route.case.spec.path}: the route function initializes in "
            f"{ms(init)} ms: {_verdict(init / median(cookbook.init), COOKBOOK_TARGET)} the cookbook-style handler "
            f"({ms(median(cookbook.init))} ms), {_verdict(init / median(monolith.init), MONOLITH_TARGET)} one app "
            f"holding every route ({ms(median(monolith.init))} ms), and {init / base:.1f}x the minimal Powertools "
            f"handler ({ms(base)} ms), which has no framework, no validation and no models. Imports are "
            f"{median(route.imports) / init:.0%} of it; its first call takes {ms(median(route.first_call))} ms.")
    return lines


def _bytecode(cold: ColdStart, layers: list[Runtime]) -> list[str]:
    if not layers:
        return ["The layer rows were skipped: build/layers/requirements-deps.txt is missing (run `make layers`)."]
    operation_id = cold.results[0].case.spec.operation_id
    route, base = (cold.find(operation_id, handler, layers[0]) for handler in (ROUTE_FUNCTION, POWERTOOLS))
    if route is None or base is None:
        return []
    if len(layers) == 1:
        return [f"Bytecode: this machine has no Python {sizing.PYTHON_VERSION}, so layers/build.sh shipped the "
                f"layers without it and Lambda, which cannot write it to a read-only layer, compiles every module a "
                f"cold start imports: the route function then initializes in {ms(median(route.init))} ms, the "
                f"Powertools handler in {ms(median(base.init))} ms (row '{layers[0].name}')."]
    bare_route, bare_base = (cold.find(operation_id, handler, layers[1]) for handler in (ROUTE_FUNCTION, POWERTOOLS))
    if bare_route is None or bare_base is None:
        return []
    init, bare = median(route.init), median(bare_route.init)
    return [f"Bytecode: loaded as Lambda loads them (the layers as built, by Python {sizing.PYTHON_VERSION} with "
            f"-S), the route function initializes in {ms(init)} ms, {init / median(base.init):.1f}x the Powertools "
            f"handler ({ms(median(base.init))} ms). The .pyc that layers/build.sh compiles with that Python are "
            f"worth {bare / init:.1f}x: without them the same loads take {ms(bare)} ms and "
            f"{ms(median(bare_base.init))} ms, since Lambda cannot write bytecode to a read-only layer."]


def _imports(profile: ImportProfile) -> list[str]:
    top = ", ".join(f"{name} {seconds / profile.total_s:.0%}" for name, seconds in profile.by_package()[:6])
    return [f"What the route function imports ({ms(profile.total_s)} ms under importtime), by package self time: "
            f"{top}. Atrium's own {profile.atrium_modules} modules cost {ms(profile.atrium_compile_s)} ms to "
            f"compile from source, because no bytecode ships for them."]


def _warm(warm: Warm) -> list[str]:
    lines = []
    for result in warm.results:
        if result.handler != ROUTE_FUNCTION:
            continue
        base = warm.baseline(result)
        lines.append(
            f"Warm {result.request}: {ms(median(result.total))} ms per invocation vs {ms(median(base.total))} ms "
            f"for Powertools; without the AWS call, {ms(median(result.own))} ms vs {ms(median(base.own))} ms "
            f"({median(result.own) / median(base.own):.1f}x): what the Powertools logger and metrics wrappers, "
            f"Mangum, FastAPI and pydantic add to each request.")
    return lines


def _calls(calls: AwsCalls) -> list[str]:
    busy = [f"{row['request']} ({len(calls.dynamodb(row))})" for row in calls.rows if len(calls.dynamodb(row)) > 1]
    failed = [f"{row['request']} ({row['status']})" for row in calls.rows if not 200 <= row["status"] < 400]
    refused = [row["request"] for row in calls.rows if row["signers"]["refused"]]
    under, tenant_data = calls.tenant_scoped_share()
    lines = [f"Operations making more than one DynamoDB call per request: {', '.join(busy) or 'none'}.",
             f"Calls naming a tenant's items signed by that tenant's session: {under} of {tenant_data} "
             f"({under / max(tenant_data, 1):.0%}); requests with a call whose signer IAM would refuse: "
             f"{', '.join(refused) or 'none'}."]
    if failed:
        lines.append(f"Requests that did not succeed (fix their set-up in bench/aws_calls.py): {', '.join(failed)}.")
    return lines


def _endpoints(endpoints: SyncAsync, costs: CostModel) -> list[str]:
    hops = ", ".join(f"{r.variant.name} {r.hops}" for r in endpoints.results)
    saving = endpoints.warm_saving_ms()
    worth = costs.per_ms_per_million() * saving
    return [f"Sync vs async endpoint: {endpoints.conclusion()} Trips into the threadpool per request: {hops}. In "
            f"money the warm difference is small: {saving:.2f} ms of Lambda time at {sizing.MEMORY_MB} MB is "
            f"${worth:.4f} per million requests ({costs.cpu_stretch():.1f} times that if the CPU time stretches "
            f"with a {sizing.MEMORY_MB} MB CPU share), next to the HTTP API's $1.00."]


def findings(cold: ColdStart, layers: list[Runtime], warm: Warm, profile: ImportProfile, calls: AwsCalls,
             endpoints: SyncAsync, costs: CostModel) -> list[str]:
    return [*_cold(cold), *_bytecode(cold, layers), *_imports(profile), *_warm(warm), *_endpoints(endpoints, costs),
            *_calls(calls), *costs.findings()]
