"""What a caller hands the plugin runner, and what it answers (JSON both ways, ``kernel/runners.py``)."""

from typing import Any

from pydantic import BaseModel, Field


class HookCall(BaseModel):
    """One plugin to run: all the runner knows of it."""

    plugin_id: str
    name: str
    module_key: str
    sha256: str
    permissions: list[str]
    http_hosts: list[str] = Field(default_factory=list)
    timeout_ms: int
    fuel: int
    memory_bytes: int
    config_defaults: dict[str, Any] = Field(default_factory=dict)  # of its schema's settings


class RunnerRequest(BaseModel):
    tenant_id: str
    hook: str
    payload: Any
    plugins: list[HookCall]  # in the order they run
    stop_on_refusal: bool = False
    total_ms: int | None = None  # the whole run's time (a synchronous hook's); plugins left when it is up are skipped


class PluginResult(BaseModel):
    plugin_id: str
    outcome: str  # the sandbox's (``ok``, ``timeout``...), or ``missing``: its module could not be read
    answer: Any = None
    error: str | None = None
    duration_ms: float = 0.0
    fuel_used: int = 0
    logs: list[str] = Field(default_factory=list)
    denied: dict[str, int] = Field(default_factory=dict)
    # What it asked the platform to do, for the caller to carry out (``effects.py``): events and notifications.
    effects: list[dict[str, Any]] = Field(default_factory=list)

    def refusal(self) -> str | None:
        """The reason, when the plugin answered ``{"allow": false, "reason": ...}``."""
        if self.outcome == "ok" and isinstance(self.answer, dict) and self.answer.get("allow") is False:
            return str(self.answer.get("reason") or "no reason given")[:500]
        return None


class RunnerAnswer(BaseModel):
    results: list[PluginResult]
