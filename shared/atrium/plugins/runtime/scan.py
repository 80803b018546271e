"""The check every plugin module passes before it is installed: it compiles, stays within the size limit, imports
only host functions its permissions allow (with their signatures), exports the ABI (``abi``) and carries no
known-bad pattern (``patterns.py``). A module that imports ``http_fetch`` without asking for ``http`` fails here, not
at run time."""

from dataclasses import dataclass, field

import wasmtime

from atrium.plugins.runtime.abi import ALLOC, HOOK_PREFIX, HOST_FUNCTIONS, HOST_MODULE, MEMORY, allowed_functions
from atrium.plugins.runtime.patterns import known_bad

MAX_MODULE_BYTES = 50 * 1024 * 1024
WASM_PAGE = 64 * 1024
_SIGNATURES = {"log": (("i32", "i32"), ()), "last_error": ((), ("i64",))}
_POWERED = (("i32", "i32"), ("i64",))


@dataclass(frozen=True)
class ScanReport:
    passed: bool
    findings: tuple[str, ...]  # why it fails, each in a sentence
    imports: tuple[str, ...] = ()  # the host functions it imports
    hooks: tuple[str, ...] = ()  # the hooks it exports (their exports' names less ``hook_``)
    permissions_used: frozenset[str] = field(default_factory=frozenset)


def _signature(kind: object) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if not isinstance(kind, wasmtime.FuncType):
        return None
    return tuple(str(value) for value in kind.params), tuple(str(value) for value in kind.results)


def scan(engine: wasmtime.Engine, body: bytes, granted: frozenset[str], *, memory_limit: int) -> ScanReport:
    """``body`` checked against the permissions ``granted`` and the memory the plugin may use."""
    if len(body) > MAX_MODULE_BYTES:
        return ScanReport(False, (f"the module is {len(body)} bytes; the limit is {MAX_MODULE_BYTES}",))
    try:
        module = wasmtime.Module(engine, body)
    except wasmtime.WasmtimeError as error:
        return ScanReport(False, (f"not a valid WebAssembly module: {str(error).splitlines()[0]}",))
    findings = known_bad(body)
    allowed, imported = allowed_functions(granted), []
    for wanted in module.imports:
        name = f"{wanted.module}.{wanted.name}"
        function = HOST_FUNCTIONS.get(wanted.name or "") if wanted.module == HOST_MODULE else None
        if function is None:
            findings.append(f"imports {name}, which the platform does not provide (no WASI, no other module)")
        elif wanted.name not in allowed:
            findings.append(f"imports {name} without the permission {function.permission!r}")
        elif _signature(wanted.type) != _SIGNATURES.get(function.name, _POWERED):
            findings.append(f"imports {name} with the wrong signature")
        else:
            imported.append(function.name)
    exports = {export.name: export.type for export in module.exports}
    memory = exports.get(MEMORY)
    if not isinstance(memory, wasmtime.MemoryType):
        findings.append(f"exports no memory named {MEMORY!r}")
    elif memory.limits.min * WASM_PAGE > memory_limit:
        findings.append(f"starts with {memory.limits.min * WASM_PAGE} bytes of memory; the limit is {memory_limit}")
    if _signature(exports.get(ALLOC)) != (("i32",), ("i32",)):
        findings.append(f"exports no {ALLOC}(size: i32) -> i32")
    hooks = sorted(name.removeprefix(HOOK_PREFIX) for name, kind in exports.items()
                   if name.startswith(HOOK_PREFIX) and _signature(kind) == _POWERED)
    if not hooks:
        findings.append(f"exports no hook ({HOOK_PREFIX}<name>(ptr: i32, len: i32) -> i64)")
    used = frozenset(HOST_FUNCTIONS[name].permission or "" for name in imported) - {""}
    return ScanReport(not findings, tuple(findings), tuple(sorted(imported)), tuple(hooks), used)


def exported(report: ScanReport) -> frozenset[str]:
    return frozenset(HOOK_PREFIX + hook for hook in report.hooks)
