"""The plugin runtime's choice (docs/plugins.md): wasmtime, as ``plugins/runtime/sandbox.py`` drives it, beside
Extism's Python SDK, on the same work: a plugin that echoes a hook's JSON input, each call in a fresh instance (as
every hook call is, so none reaches the next). Also what each can limit."""

import json

import extism
import wasmtime

from atrium.plugins.runtime.abi import Limits
from atrium.plugins.runtime.sandbox import Runtime
from bench.report import Table
from bench.scale import Scale
from bench.stats import median, ratio, seconds_per_call
from tests.support.plugins import TOOLS, wasm

PAYLOAD = {"proof_id": "prf_01JZ", "version": 2, "filename": "poster.pdf"}
# The same echo in Extism's ABI: the input read through its kernel's functions, handed back as the output.
EXTISM_ECHO = """(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (func (export "hook_echo") (result i32)
    (local $n i64) (local $i i64) (local $at i64)
    (local.set $n (call $input_length))
    (local.set $at (call $alloc (local.get $n)))
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (call $store_u8 (i64.add (local.get $at) (local.get $i)) (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (call $output_set (local.get $at) (local.get $n))
    (i32.const 0)))"""


def table(scale: Scale) -> Table:
    times, rounds = (5, 1) if scale.smoke else (300, 7)
    body, extism_body, limits = wasm(TOOLS), wasm(EXTISM_ECHO), Limits()
    manifest = {"wasm": [{"data": extism_body}], "memory": {"max_pages": limits.memory_bytes // 65536},
                "timeout_ms": limits.timeout_ms}
    runtime = Runtime()

    def ours() -> object:
        answer = runtime.invoke(body, "echo", PAYLOAD, granted=frozenset(), powers={}, limits=limits).answer
        assert answer == PAYLOAD
        return answer

    def theirs() -> object:
        answer = json.loads(extism.Plugin(manifest, wasi=False, functions=[]).call("hook_echo", json.dumps(PAYLOAD)))
        assert answer == PAYLOAD
        return answer

    compile_ours = median([seconds_per_call(lambda: wasmtime.Module(runtime.engine, body), 1) * 1000
                           for _ in range(rounds)])
    compile_theirs = median([seconds_per_call(lambda: extism.Plugin(manifest, wasi=False, functions=[]), 1) * 1000
                             for _ in range(rounds)])
    ours(), theirs()  # warm: modules compiled and cached
    per_call_ours = median([seconds_per_call(ours, times) * 1000 for _ in range(rounds)])
    per_call_theirs = median([seconds_per_call(theirs, times) * 1000 for _ in range(rounds)])
    rows = [("a module compiled (Extism: a plugin made)", f"{compile_ours:.2f}", f"{compile_theirs:.2f}",
             ratio(compile_theirs, compile_ours)),
            ("a hook call, fresh instance", f"{per_call_ours:.3f}", f"{per_call_theirs:.3f}",
             ratio(per_call_theirs, per_call_ours))]
    return Table(
        "Plugin runtime: wasmtime (ours) beside Extism",
        ("operation", "ms, wasmtime", "ms, Extism", "Extism / wasmtime"), rows,
        notes=(f"Median of {rounds} rounds of {times} calls in this process: an echo of a {len(str(PAYLOAD))}-"
               "character JSON document, each call in a fresh instance (ours: store, limits, linker of every host "
               "function, the input written and the answer read and parsed).",
               "Limits: wasmtime meters fuel (instructions), caps memory and interrupts on a wall-clock deadline "
               "(epochs); Extism's Python SDK caps memory and time but sets no fuel, so a plugin's cost cannot be "
               "bounded deterministically. Wasmtime is the runtime (docs/plugins.md)."))


if __name__ == "__main__":
    from bench.scale import from_environment

    print(table(from_environment()).text())
