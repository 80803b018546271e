"""One hook call of a plugin, sandboxed (docs/plugins.md).

Each call gets a fresh store, so nothing one call did (its memory, its globals, a trap) reaches the next; the
module is compiled once per process and engine. Limits: fuel (instructions), linear memory, and a wall-clock
deadline by epoch interruption (a ticker thread advances the engine's epoch every 10 ms). The plugin has no WASI:
no filesystem, clock, randomness or network but through host functions. Every host function of the ABI is defined;
one whose permission was not granted answers ``DENIED``, and the call counts it."""

import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import wasmtime

from atrium.kernel.observability import logger
from atrium.plugins.runtime.abi import (
    ALLOC,
    BAD_ANSWER,
    DENIED,
    FAILED,
    HOST_FUNCTIONS,
    HOST_MODULE,
    MEMORY,
    NO_ANSWER,
    OK,
    OUT_OF_FUEL,
    TIMEOUT,
    TRAP,
    Limits,
    hook_export,
    pack,
    unpack,
)

_TICK_SECONDS = 0.01
MAX_MESSAGE_BYTES = 1024 * 1024  # a request or an answer crossing the boundary
MAX_LOG_LINES, MAX_LOG_CHARS = 100, 1000


class PowerError(Exception):
    """A host function's refusal, which the plugin reads through ``last_error``."""


Power = Callable[[Any], Any]  # a JSON request in, a JSON-able answer out (None: no answer); may raise PowerError


@dataclass
class Invocation:
    """How a call went: ``outcome`` (``ok``, ``out_of_fuel``, ``timeout``, ``trap``, ``bad_answer``), the hook's
    answer, the error, what it used, its log lines, the host functions it called and the permissions it lacked."""

    outcome: str = OK
    answer: Any = None
    error: str | None = None
    fuel_used: int = 0
    memory_bytes: int = 0
    duration_ms: float = 0.0
    logs: list[str] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    denied: Counter[str] = field(default_factory=Counter)


class _Call:
    """The state of one call, which the host functions see."""

    def __init__(self, granted: frozenset[str], powers: Mapping[str, Power], invocation: Invocation) -> None:
        self.granted, self.powers, self.invocation = granted, powers, invocation
        self.last_error = ""

    def read(self, caller: wasmtime.Caller, ptr: int, length: int) -> bytes:
        memory = caller.get(MEMORY)
        assert isinstance(memory, wasmtime.Memory)
        if length > MAX_MESSAGE_BYTES or ptr < 0 or length < 0 or ptr + length > memory.data_len(caller):
            raise PowerError(f"the request at {ptr} ({length} bytes) is outside the plugin's memory or too large")
        return bytes(memory.read(caller, ptr, ptr + length))

    def give(self, caller: wasmtime.Caller, body: bytes) -> int:
        """``body`` written into the plugin's memory (where its ``alloc`` says), packed."""
        if not body:
            return NO_ANSWER
        alloc, memory = caller.get(ALLOC), caller.get(MEMORY)
        assert isinstance(alloc, wasmtime.Func) and isinstance(memory, wasmtime.Memory)
        ptr = alloc(caller, len(body))
        assert isinstance(ptr, int)
        memory.write(caller, body, ptr)
        return pack(ptr, len(body))

    def log(self, caller: wasmtime.Caller, ptr: int, length: int) -> None:
        if len(self.invocation.logs) < MAX_LOG_LINES:
            line = self.read(caller, ptr, min(length, MAX_LOG_CHARS)).decode(errors="replace")
            self.invocation.logs.append(line)

    def error(self, caller: wasmtime.Caller) -> int:
        """Why the last powered call failed, as ``{"error": "..."}`` (a plugin may pass it on as its answer)."""
        return self.give(caller, json.dumps({"error": self.last_error}).encode()) if self.last_error else NO_ANSWER

    def powered(self, name: str) -> Callable[[wasmtime.Caller, int, int], int]:
        permission = HOST_FUNCTIONS[name].permission

        def call(caller: wasmtime.Caller, ptr: int, length: int) -> int:
            self.invocation.calls[name] += 1
            self.last_error = ""
            if permission is not None and permission not in self.granted:
                self.invocation.denied[str(permission)] += 1
                self.last_error = f"{name} needs the permission {permission!r}, which was not granted"
                return DENIED
            if name not in self.powers:
                self.last_error = f"{name} is not available to this call"
                return FAILED
            try:
                answer = self.powers[name](json.loads(self.read(caller, ptr, length)))
            except PowerError as refusal:
                self.last_error = str(refusal)
                return FAILED
            except ValueError:
                self.last_error = f"the request to {name} is not JSON"
                return FAILED
            except Exception:  # a power's own failure (a store refusing a write...): the plugin's to handle
                logger.exception("plugin host function failed", extra={"host_function": name})
                self.last_error = f"{name} failed; try again later"
                return FAILED
            return NO_ANSWER if answer is None else self.give(caller, json.dumps(answer).encode())

        return call


class Runtime:
    """The engine, the modules compiled for it, and the ticker of its epoch."""

    def __init__(self) -> None:
        config = wasmtime.Config()
        config.consume_fuel, config.epoch_interruption = True, True
        # Traps by explicit checks, not by signal handlers: a handler installed after the engine's (Python's
        # faulthandler, another native library) would turn a plugin's trap into the death of the process.
        config.signals_based_traps = False
        self.engine = wasmtime.Engine(config)
        self._modules: dict[str, wasmtime.Module] = {}
        self._ticker: threading.Thread | None = None

    def module(self, body: bytes) -> wasmtime.Module:
        digest = hashlib.sha256(body).hexdigest()
        if digest not in self._modules:
            self._modules[digest] = wasmtime.Module(self.engine, body)
        return self._modules[digest]

    def _tick(self) -> None:
        while True:
            time.sleep(_TICK_SECONDS)
            self.engine.increment_epoch()

    def _linker(self, call: _Call) -> wasmtime.Linker:
        # Types are made per linker: wasmtime binds a function type to the first engine that uses it.
        i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()
        linker, powered = wasmtime.Linker(self.engine), wasmtime.FuncType([i32, i32], [i64])
        linker.define_func(HOST_MODULE, "log", wasmtime.FuncType([i32, i32], []), call.log, access_caller=True)
        linker.define_func(HOST_MODULE, "last_error", wasmtime.FuncType([], [i64]), call.error, access_caller=True)
        for name in HOST_FUNCTIONS.keys() - {"log", "last_error"}:
            linker.define_func(HOST_MODULE, name, powered, call.powered(name), access_caller=True)
        return linker

    def invoke(self, body: bytes, hook: str, payload: Any, *, granted: frozenset[str],
               powers: Mapping[str, Power], limits: Limits) -> Invocation:
        """Call ``hook_<hook>`` of the module ``body`` with ``payload`` (JSON)."""
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="plugin-epoch", daemon=True)
            self._ticker.start()
        invocation, started = Invocation(), time.perf_counter()
        store = wasmtime.Store(self.engine)
        store.set_fuel(limits.fuel)
        store.set_limits(memory_size=limits.memory_bytes)
        store.set_epoch_deadline(max(1, -(-limits.timeout_ms // int(_TICK_SECONDS * 1000))))
        call = _Call(granted, powers, invocation)
        try:
            self._run(store, self._linker(call), self.module(body), hook, json.dumps(payload).encode(), invocation)
        except wasmtime.Trap as trap:
            invocation.outcome = _TRAPS.get(trap.trap_code, TRAP) if trap.trap_code is not None else TRAP
            # A plugin may give up on a failed host call: say why that failed too.
            invocation.error = trap.message + (f" (after: {call.last_error})" if call.last_error else "")
        except (wasmtime.WasmtimeError, ValueError) as error:
            invocation.outcome, invocation.error = BAD_ANSWER, str(error).splitlines()[0]
        invocation.fuel_used = limits.fuel - store.get_fuel()
        invocation.duration_ms = (time.perf_counter() - started) * 1000
        return invocation

    def _run(self, store: wasmtime.Store, linker: wasmtime.Linker, module: wasmtime.Module, hook: str,
             payload: bytes, invocation: Invocation) -> None:
        exports = linker.instantiate(store, module).exports(store)
        handler = exports.get(hook_export(hook))
        if not isinstance(handler, wasmtime.Func):
            raise ValueError(f"the plugin exports no {hook_export(hook)}")
        alloc, memory = exports[ALLOC], exports[MEMORY]
        assert isinstance(alloc, wasmtime.Func) and isinstance(memory, wasmtime.Memory)
        try:
            ptr = alloc(store, len(payload))
            assert isinstance(ptr, int)
            memory.write(store, payload, ptr)
            packed = handler(store, ptr, len(payload))
        finally:
            invocation.memory_bytes = memory.data_len(store)
        assert isinstance(packed, int)
        if packed == NO_ANSWER:
            return
        start, length = unpack(packed)
        if length > MAX_MESSAGE_BYTES or start + length > memory.data_len(store):
            raise ValueError(f"the answer at {start} ({length} bytes) is outside the plugin's memory or too large")
        invocation.answer = json.loads(bytes(memory.read(store, start, start + length)))


_TRAPS = {wasmtime.TrapCode.OUT_OF_FUEL: OUT_OF_FUEL, wasmtime.TrapCode.INTERRUPT: TIMEOUT}
