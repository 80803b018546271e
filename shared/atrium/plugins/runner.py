"""The plugin runner: the Lambda function that runs plugins' hooks, and nothing else (``plugins.run_hook``).

It holds no table grant but ``Grant.PLUGIN_STORE`` (plugins' stores, with its own role: no tenant session) and
reads modules from the files bucket; its caller (a route, a consumer) reads the plugins and hands over what each
call needs. So a plugin that escaped its sandbox would find no tenant's records within reach.

A request names the tenant, the hook, its payload, and the plugins in the order they run; each runs in a fresh
sandbox with the powers its permissions grant, and its invocation is counted (``metrics``). With
``stop_on_refusal`` the first plugin that refuses ends the run (a synchronous hook that may refuse)."""

import hashlib
import time
from functools import cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from atrium.kernel import files
from atrium.kernel.observability import logger
from atrium.kernel.tenancy import tenant_scope
from atrium.kernel.ttl_cache import TtlCache
from atrium.plugins import metrics
from atrium.plugins.config_powers import config_powers
from atrium.plugins.effect_powers import effect_powers
from atrium.plugins.hook_calls import HookCall, PluginResult, RunnerAnswer, RunnerRequest
from atrium.plugins.http_power import http_powers
from atrium.plugins.runtime.abi import OK, Limits
from atrium.plugins.runtime.sandbox import Power, Runtime
from atrium.plugins.storage import storage_powers

MODULES_KEPT = 32


@cache
def _runtime() -> Runtime:
    return Runtime()


_modules: TtlCache[str, bytes] = TtlCache(seconds=3600, max_entries=MODULES_KEPT)


def _module(call: HookCall) -> bytes:
    """The module's bytes, read once per process and checked against the SHA-256 its install recorded."""
    body = _modules.get(call.sha256)
    if body is None:
        try:
            body = files.read(call.module_key)
        except (BotoCoreError, ClientError) as error:
            raise LookupError(f"plugin {call.plugin_id}'s module could not be read ({type(error).__name__})") from None
        if body is None or hashlib.sha256(body).hexdigest() != call.sha256:
            raise LookupError(f"plugin {call.plugin_id}'s module is missing or not the one installed")
        _modules.put(call.sha256, body)
    return body


def _powers(tenant_id: str, call: HookCall, effects: list[dict[str, Any]]) -> dict[str, Power]:
    """What each granted permission provides (the sandbox refuses the rest), and the configuration."""
    powers = config_powers(tenant_id, call) | effect_powers(effects)
    if "storage" in call.permissions:
        powers |= storage_powers(tenant_id, call.plugin_id)
    if "http" in call.permissions:
        powers |= http_powers(call)
    return powers


def _run_one(request: RunnerRequest, call: HookCall) -> PluginResult:
    try:
        body = _module(call)
    except LookupError as missing:
        return PluginResult(plugin_id=call.plugin_id, outcome="missing", error=str(missing))
    effects: list[dict[str, Any]] = []
    invocation = _runtime().invoke(body, request.hook, request.payload, granted=frozenset(call.permissions),
                                   powers=_powers(request.tenant_id, call, effects),
                                   limits=Limits(fuel=call.fuel, memory_bytes=call.memory_bytes,
                                                 timeout_ms=call.timeout_ms))
    try:
        metrics.record(request.tenant_id, call.plugin_id, request.hook, invocation)
    except (BotoCoreError, ClientError):  # a count lost, not the run: the next plugins still run
        logger.exception("plugin invocation not counted", extra={"plugin_id": call.plugin_id})
    if invocation.outcome != OK:
        logger.warning("plugin hook failed", extra={"plugin_id": call.plugin_id, "hook": request.hook,
                                                    "outcome": invocation.outcome, "error": invocation.error})
    return PluginResult(plugin_id=call.plugin_id, outcome=invocation.outcome, answer=invocation.answer,
                        error=invocation.error, duration_ms=round(invocation.duration_ms, 3),
                        fuel_used=invocation.fuel_used, logs=invocation.logs, denied=dict(invocation.denied),
                        effects=effects if invocation.outcome == OK else [])


def run_hook(event: dict[str, Any]) -> dict[str, Any]:
    request = RunnerRequest.model_validate(event)
    results: list[PluginResult] = []
    started = time.monotonic()
    with tenant_scope(request.tenant_id):
        for call in request.plugins:
            spent_ms = (time.monotonic() - started) * 1000
            if request.total_ms is not None and spent_ms >= request.total_ms:  # the hook's time is up
                results.append(PluginResult(plugin_id=call.plugin_id, outcome="skipped",
                                            error=f"the hook's {request.total_ms} ms were spent by the plugins before"))
                continue
            if request.total_ms is not None:  # none may run past the hook's time
                call = call.model_copy(update={"timeout_ms": max(1, min(call.timeout_ms,
                                                                        int(request.total_ms - spent_ms)))})
            result = _run_one(request, call)
            results.append(result)
            if request.stop_on_refusal and result.refusal() is not None:
                break
    return RunnerAnswer(results=results).model_dump()
