"""The contract between a plugin and the platform (docs/plugins.md, "The ABI").

A plugin is a WebAssembly module that exports its linear memory as ``memory``, ``alloc(size: i32) -> i32`` (where
the host may write ``size`` bytes) and, for each hook it handles, ``hook_<name>(ptr: i32, len: i32) -> i64`` (a dot
in the name as ``_``): the hook's input, a JSON document at ``ptr``, in, and its answer out, packed as
``ptr << 32 | len`` (0: no answer).

It may import, from the module ``atrium`` only, the host functions below: ``log`` and ``last_error`` always, each
of the others only with the permission it names. A powered host function takes one JSON request (``ptr``, ``len``)
and answers an ``i64``: a packed answer as above, or a negative code (``FAILED``: ``last_error`` tells why;
``DENIED``: its permission was not granted)."""

import json
from dataclasses import dataclass

HOST_MODULE = "atrium"
MEMORY, ALLOC, HOOK_PREFIX = "memory", "alloc", "hook_"
NO_ANSWER, FAILED, DENIED = 0, -1, -2
# How an invocation ends (``sandbox.Invocation.outcome``).
OK, OUT_OF_FUEL, TIMEOUT, TRAP, BAD_ANSWER = "ok", "out_of_fuel", "timeout", "trap", "bad_answer"


@dataclass(frozen=True)
class Limits:
    """What one invocation may use."""

    fuel: int = 50_000_000
    memory_bytes: int = 16 * 1024 * 1024
    timeout_ms: int = 5000

    @classmethod
    def from_json(cls, declared: str | None) -> "Limits":
        """A manifest's ``limits`` as stored (JSON of ``timeout_ms``, ``fuel``, ``memory_mb``; none: no limits of its
        own), the defaults for those left out."""
        default, limits = cls(), json.loads(declared) if declared else {}
        memory_mb = limits.get("memory_mb")
        return cls(fuel=limits.get("fuel") or default.fuel, timeout_ms=limits.get("timeout_ms") or default.timeout_ms,
                   memory_bytes=memory_mb * 1024 * 1024 if memory_mb else default.memory_bytes)


@dataclass(frozen=True)
class HostFunction:
    name: str
    permission: str | None  # None: every plugin may import it
    description: str


# The platform's powers. An app's own (reading or changing its records) are the app's to declare, as its permissions
# are: the platform names no app.
PERMISSIONS = ("http", "storage", "files:read", "files:write", "events:emit", "notify", "secrets")

HOST_FUNCTIONS = {function.name: function for function in (
    HostFunction("log", None, "(ptr, len) -> (): a line in the invocation's log"),
    HostFunction("last_error", None, "() -> i64: why the last powered call failed, packed JSON {\"error\": ...} "
                                     "(0: it did not)"),
    HostFunction("config_get", None, "(ptr, len) -> i64: the plugin's settings, packed JSON (its secrets never)"),
    HostFunction("http_fetch", "http", "an outbound request to a host the manifest allows, through the SSRF guard"),
    HostFunction("storage_get", "storage", "a value of the plugin's own key-value store"),
    HostFunction("storage_set", "storage", "store a value under a key of the plugin's own store"),
    HostFunction("storage_delete", "storage", "delete a key of the plugin's own store"),
    HostFunction("files_read", "files:read", "a file the hook was given"),
    HostFunction("files_write", "files:write", "write a file beside the one the hook was given"),
    HostFunction("events_emit", "events:emit", "emit an event of the plugin's own namespace"),
    HostFunction("notify", "notify", "send an email through the mail context"),
    HostFunction("secrets_get", "secrets", "a value the tenant configured for this plugin"),
)}


def allowed_functions(granted: frozenset[str]) -> frozenset[str]:
    """The host functions a plugin holding ``granted`` may import."""
    return frozenset(name for name, function in HOST_FUNCTIONS.items()
                     if function.permission is None or function.permission in granted)


def hook_export(hook: str) -> str:
    """The export that handles ``hook``: ``proof.version_added`` -> ``hook_proof_version_added`` (a dot is no
    identifier in most guest languages)."""
    return HOOK_PREFIX + hook.replace(".", "_")


def pack(ptr: int, length: int) -> int:
    return (ptr << 32) | length


def unpack(packed: int) -> tuple[int, int]:
    return packed >> 32, packed & 0xFFFFFFFF
