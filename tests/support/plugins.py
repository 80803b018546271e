"""Plugin modules for the tests, written in WebAssembly's text format and compiled here: they hold to the ABI
(docs/plugins.md) and do what a test needs, from echoing to spinning forever."""

from functools import cache
from pathlib import Path

import wasmtime

# The AssemblyScript SDK's example, as `make plugins` builds it from its source.
EXAMPLE = Path(__file__).parents[2] / "build" / "plugins" / "example.wasm"

# A bump allocator at 1024, growing memory as it needs.
_ALLOC = """
  (global $heap (mut i32) (i32.const 1024))
  (func (export "alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (if (i32.gt_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.div_u (local.get $n) (i32.const 65536)) (i32.const 1))))))
    (local.get $p))
"""

# Echoes its input; spins forever; grows its memory until refused, then fails; logs a line.
TOOLS = f"""(module
  (import "atrium" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  {_ALLOC}
  (data (i32.const 0) "hello from the plugin")
  (func (export "hook_echo") (param $p i32) (param $l i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $p)) (i64.const 32)) (i64.extend_i32_u (local.get $l))))
  (func (export "hook_spin") (param i32 i32) (result i64)
    (loop $forever (br $forever))
    (i64.const 0))
  (func (export "hook_bomb") (param i32 i32) (result i64)
    (loop $more (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable)
  (func (export "hook_log") (param i32 i32) (result i64)
    (call $log (i32.const 0) (i32.const 21))
    (i64.const 0)))
"""

# Passes its input to a storage host function as the request, and answers what it answered (or its error).
_CALL = """
  (func (export "hook_{hook}") (param $p i32) (param $l i32) (result i64)
    (local $r i64)
    (local.set $r (call ${function} (local.get $p) (local.get $l)))
    (if (result i64) (i64.lt_s (local.get $r) (i64.const 0))
      (then (call $last_error))
      (else (local.get $r))))
"""
STORAGE = f"""(module
  (import "atrium" "last_error" (func $last_error (result i64)))
  (import "atrium" "storage_get" (func $storage_get (param i32 i32) (result i64)))
  (import "atrium" "storage_set" (func $storage_set (param i32 i32) (result i64)))
  (memory (export "memory") 1)
  {_ALLOC}
  {_CALL.format(hook="recall", function="storage_get")}
  {_CALL.format(hook="remember", function="storage_set")})
"""

# Asks for the time through WASI, which the platform does not provide.
CLOCK = f"""(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $now (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  {_ALLOC}
  (func (export "hook_now") (param i32 i32) (result i64)
    (drop (call $now (i32.const 0) (i64.const 1) (i32.const 0)))
    (i64.const 0)))
"""


def relay(*functions: str) -> str:
    """A module with a hook per host function named (``hook_<function>``): it hands its input to that function
    and answers what it answers, or its ``last_error`` when it fails."""
    imports = "".join(f'(import "atrium" "{name}" (func ${name} (param i32 i32) (result i64)))'
                      for name in functions)
    calls = "".join(_CALL.format(hook=name, function=name) for name in functions)
    return f"""(module
  (import "atrium" "last_error" (func $last_error (result i64)))
  {imports}
  (memory (export "memory") 1)
  {_ALLOC}
  {calls})
"""


@cache
def wasm(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


def example_plugin() -> bytes:
    assert EXAMPLE.is_file(), "build the example plugin first: make plugins"
    return EXAMPLE.read_bytes()
