"""A plugin's hook call, sandboxed (docs/plugins.md): an infinite loop stops at its fuel or its time limit, a
memory bomb at its memory limit, and neither reaches the next call; there is no WASI; a host function answers
only with its permission; a plugin's store is its own, per tenant and installed plugin."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from atrium.kernel import ids
from atrium.kernel.tenancy import tenant_scope
from atrium.plugins.runtime.abi import HOST_FUNCTIONS, PERMISSIONS, Limits
from atrium.plugins.runtime.sandbox import Invocation, Power, Runtime
from atrium.plugins.storage import storage_powers
from atrium_local.provision import Provisioned
from tests.support.plugins import CLOCK, STORAGE, TOOLS, relay, wasm

RUNTIME = Runtime()
LIMITS = Limits(fuel=5_000_000, memory_bytes=4 * 1024 * 1024, timeout_ms=200)


def _call(module: str, hook: str, payload: object = None, *, granted: frozenset[str] = frozenset(),
          powers: dict[str, Power] | None = None, limits: Limits = LIMITS) -> Invocation:
    return RUNTIME.invoke(wasm(module), hook, payload, granted=granted, powers=powers or {}, limits=limits)


def test_a_hook_answers_its_input_and_logs() -> None:
    echoed = _call(TOOLS, "echo", {"proof_id": "prf_1", "version": 2})
    assert echoed.outcome == "ok" and echoed.answer == {"proof_id": "prf_1", "version": 2}
    assert 0 < echoed.fuel_used < LIMITS.fuel and echoed.memory_bytes == 65536
    logged = _call(TOOLS, "log")
    assert logged.outcome == "ok" and logged.answer is None and logged.logs == ["hello from the plugin"]


def test_an_infinite_loop_stops_at_its_fuel_then_at_its_time_and_the_next_call_runs() -> None:
    fuel = _call(TOOLS, "spin")
    assert fuel.outcome == "out_of_fuel" and fuel.fuel_used == LIMITS.fuel
    timed = _call(TOOLS, "spin", limits=Limits(fuel=10**15, memory_bytes=LIMITS.memory_bytes, timeout_ms=50))
    assert timed.outcome == "timeout" and timed.fuel_used < 10**15
    assert _call(TOOLS, "echo", [1]).answer == [1]


def test_a_memory_bomb_stops_at_its_memory_limit_and_the_next_call_starts_afresh() -> None:
    bomb = _call(TOOLS, "bomb")
    assert bomb.outcome == "trap" and LIMITS.memory_bytes - 16 * 65536 < bomb.memory_bytes <= LIMITS.memory_bytes
    after = _call(TOOLS, "echo", "again")
    assert after.answer == "again" and after.memory_bytes == 65536


def test_there_is_no_wasi_clock_or_filesystem() -> None:
    called = _call(CLOCK, "now", granted=frozenset({"http", "storage", "files:read"}))
    assert called.outcome == "bad_answer" and "clock_time_get" in str(called.error)


def test_a_missing_hook_is_a_clear_failure() -> None:
    missing = _call(TOOLS, "nothing")
    assert missing.outcome == "bad_answer" and missing.error == "the plugin exports no hook_nothing"


@pytest.fixture
def scoped(aws: Provisioned) -> tuple[str, str]:
    return ids.new_id("ten"), ids.new_id("ten")


def _stored(tenant_id: str, plugin_id: str, hook: str, payload: object) -> Invocation:
    with tenant_scope(tenant_id):
        return _call(STORAGE, hook, payload, granted=frozenset({"storage"}),
                     powers=storage_powers(tenant_id, plugin_id))


def test_a_host_function_without_its_permission_answers_denied_and_is_counted(scoped: tuple[str, str]) -> None:
    tenant_id, _ = scoped
    with tenant_scope(tenant_id):
        refused = _call(STORAGE, "recall", {"key": "k"}, powers=storage_powers(tenant_id, "plg_a"))
    assert refused.outcome == "ok"
    assert refused.answer == {"error": "storage_get needs the permission 'storage', which was not granted"}
    assert refused.denied == {"storage": 1} and refused.calls == {"storage_get": 1}


def test_a_plugins_store_is_its_own_per_tenant_and_installed_plugin(scoped: tuple[str, str],
                                                                    table_items: Callable[[], list[Any]]) -> None:
    tenant_a, tenant_b = scoped
    assert _stored(tenant_a, "plg_x", "remember", {"key": "last", "value": {"n": 1}}).outcome == "ok"
    (stored,) = [item for item in table_items() if item["entity"]["S"] == "PluginValue"]
    assert stored["value"]["S"].startswith("fe1:")  # sealed under the tenant's key
    assert _stored(tenant_a, "plg_x", "recall", {"key": "last"}).answer == {"value": {"n": 1}}
    assert _stored(tenant_a, "plg_y", "recall", {"key": "last"}).answer is None  # another plugin
    assert _stored(tenant_b, "plg_x", "recall", {"key": "last"}).answer is None  # another tenant's install
    bad = _stored(tenant_a, "plg_x", "remember", {"key": "", "value": 1})
    assert bad.answer == {"error": "a key is 1 to 256 printable characters"}
    assert _stored(tenant_a, "plg_x", "recall", "not an object").answer == {
        "error": "a key is 1 to 256 printable characters"}


def test_runtimes_of_one_process_keep_to_their_own_engines() -> None:
    other = Runtime()  # wasmtime binds a function type to one engine: each linker makes its own
    assert other.invoke(wasm(TOOLS), "echo", "other", granted=frozenset(), powers={}, limits=LIMITS).answer == "other"
    assert _call(TOOLS, "echo", "first").answer == "first"


SURVIVOR = """
import faulthandler
from atrium.plugins.runtime.abi import HOST_FUNCTIONS, PERMISSIONS, Limits
from atrium.plugins.runtime.sandbox import Runtime
from tests.support.plugins import TOOLS, wasm

runtime = Runtime()
runtime.invoke(wasm(TOOLS), "echo", 1, granted=frozenset(), powers={}, limits=Limits())
faulthandler.disable()
faulthandler.enable()  # a signal handler installed after the engine's first call, as pytest's or a library's
print(runtime.invoke(wasm(TOOLS), "bomb", 1, granted=frozenset(), powers={}, limits=Limits()).outcome)
"""


def test_a_plugins_trap_survives_a_signal_handler_installed_after_the_engine() -> None:
    """Traps are explicit checks, not signals (``Config.signals_based_traps``): with signals, faulthandler's
    handler would take the trap's SIGILL and the process would die."""
    ran = subprocess.run([sys.executable, "-c", SURVIVOR], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).parents[2])
    assert ran.returncode == 0 and ran.stdout.strip() == "trap", (ran.returncode, ran.stderr[-500:])


def test_a_granted_power_the_call_does_not_provide_fails_without_counting_a_denial() -> None:
    unprovided = _call(STORAGE, "recall", {"key": "k"}, granted=frozenset({"storage"}))
    assert unprovided.answer == {"error": "storage_get is not available to this call"}
    assert unprovided.denied == {} and unprovided.calls == {"storage_get": 1}


def test_a_power_failing_on_its_own_fails_inside_the_plugin_and_the_call_ends_well() -> None:
    def broken(_request: Any) -> Any:
        raise RuntimeError("the store refused the write")

    failed = _call(STORAGE, "recall", {"key": "k"}, granted=frozenset({"storage"}), powers={"storage_get": broken})
    assert failed.outcome == "ok" and failed.answer == {"error": "storage_get failed; try again later"}


@pytest.mark.parametrize("function", sorted(name for name, host in HOST_FUNCTIONS.items() if host.permission))
def test_every_powered_host_function_is_refused_without_its_permission(function: str) -> None:
    permission = HOST_FUNCTIONS[function].permission
    refused = _call(relay(function), function, {}, granted=frozenset(PERMISSIONS) - {permission},
                    powers={function: lambda _request: {"reached": True}})
    assert refused.answer == {"error": f"{function} needs the permission {permission!r}, which was not granted"}
    assert refused.denied == {permission: 1}
