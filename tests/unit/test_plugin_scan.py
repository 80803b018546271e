"""The check of a plugin module before it is installed (docs/plugins.md): host functions only with their
permission, no WASI, the ABI's exports, the memory and size limits."""

from typing import get_args

import wasmtime

from atrium.plugins.runtime.abi import HOST_FUNCTIONS, PERMISSIONS
from atrium.plugins.runtime.scan import MAX_MODULE_BYTES, scan
from atrium.plugins.schemas import Permission
from tests.support.plugins import CLOCK, STORAGE, TOOLS, wasm

ENGINE = wasmtime.Engine()
MEMORY = 16 * 1024 * 1024


def test_a_module_importing_only_what_its_permissions_allow_passes_with_its_hooks() -> None:
    report = scan(ENGINE, wasm(STORAGE), frozenset({"storage"}), memory_limit=MEMORY)
    assert report.passed and report.findings == ()
    assert report.hooks == ("recall", "remember") and report.permissions_used == {"storage"}
    assert report.imports == ("last_error", "storage_get", "storage_set")
    assert scan(ENGINE, wasm(TOOLS), frozenset(), memory_limit=MEMORY).hooks == ("bomb", "echo", "log", "spin")


def test_a_host_function_imported_without_its_permission_fails_the_scan() -> None:
    report = scan(ENGINE, wasm(STORAGE), frozenset({"http"}), memory_limit=MEMORY)
    assert not report.passed
    assert report.findings == ("imports atrium.storage_get without the permission 'storage'",
                               "imports atrium.storage_set without the permission 'storage'")


def test_wasi_and_other_modules_are_not_provided() -> None:
    report = scan(ENGINE, wasm(CLOCK), frozenset(PERMISSIONS), memory_limit=MEMORY)
    assert report.findings == ("imports wasi_snapshot_preview1.clock_time_get, which the platform does not provide "
                               "(no WASI, no other module)",)


def test_the_abi_signatures_exports_and_limits_are_checked() -> None:
    wrong = wasm('(module (import "atrium" "storage_get" (func (param i32) (result i32))) (memory (export "m") 2))')
    report = scan(ENGINE, wrong, frozenset({"storage"}), memory_limit=65536)
    assert report.findings == ("imports atrium.storage_get with the wrong signature",
                               "exports no memory named 'memory'", "exports no alloc(size: i32) -> i32",
                               "exports no hook (hook_<name>(ptr: i32, len: i32) -> i64)")
    big = wasm('(module (memory (export "memory") 3))')
    assert "starts with 196608 bytes of memory; the limit is 131072" in scan(
        ENGINE, big, frozenset(), memory_limit=131072).findings
    assert scan(ENGINE, b"\0asm-not-really", frozenset(), memory_limit=MEMORY).findings[0].startswith(
        "not a valid WebAssembly module")
    assert scan(ENGINE, b"\0" * (MAX_MODULE_BYTES + 1), frozenset(), memory_limit=MEMORY).findings == (
        f"the module is {MAX_MODULE_BYTES + 1} bytes; the limit is {MAX_MODULE_BYTES}",)


def test_every_powered_host_function_names_a_permission_of_the_list() -> None:
    named = {function.permission for function in HOST_FUNCTIONS.values()} - {None}
    assert named == set(PERMISSIONS)


def test_the_manifest_offers_exactly_the_runtimes_permissions() -> None:
    assert set(get_args(Permission)) == set(PERMISSIONS)


def test_known_bad_patterns_fail_the_scan() -> None:
    reaching = wasm(f'(module (memory (export "memory") 1) (data (i32.const 0) "http://169.254.169.254/latest") '
                    f'(data (i32.const 64) "AWS_SECRET_ACCESS_KEY") {ALLOC_AND_HOOK})')
    assert scan(ENGINE, reaching, frozenset(), memory_limit=MEMORY).findings == (
        "contains '169.254.169.254' (the cloud metadata service's address)",
        "contains 'AWS_SECRET_ACCESS_KEY' (the name of a credential variable)")
    clean = wasm(f'(module (memory (export "memory") 1) {ALLOC_AND_HOOK})')
    assert scan(ENGINE, clean, frozenset(), memory_limit=MEMORY).passed


ALLOC_AND_HOOK = """(func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "hook_run") (param i32 i32) (result i64) (i64.const 0))"""
