"""Request and response bodies of the plugin routes, and the manifest a plugin is installed with."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from atrium.plugins.config_schema import ConfigSchema
from atrium.plugins.runtime.abi import PERMISSIONS
from atrium.plugins.runtime.scan import MAX_MODULE_BYTES

SHA256_EXAMPLE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
Permission = Literal["http", "storage", "files:read", "files:write", "events:emit", "notify", "secrets"]
# The plugin's own (run by `POST /v1/plugins/hooks/{hook_name}`), or the catalog's: an event type or a synchronous
# hook an app declares, dotted (`proof.version_added`).
HookName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}(\.[a-z][a-z0-9_]{0,63})?$")]
# A domain name, or an IPv4 address (which the SSRF guard still judges: a private one is refused).
Host = Annotated[str, StringConstraints(max_length=253, pattern=(
    r"^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}|(\d{1,3}\.){3}\d{1,3})$"))]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$", to_lower=True)]


class PluginLimits(BaseModel):
    """What each invocation of the plugin may use, within what the plan allows (the Enterprise plan: 30 s, a billion
    units of fuel, 256 MB); each left out is the platform's default (5 s, 50 million, 16 MB)."""

    model_config = ConfigDict(extra="forbid")

    timeout_ms: int | None = Field(None, strict=True, ge=10, le=30_000)
    fuel: int | None = Field(None, strict=True, ge=100_000, le=1_000_000_000)
    memory_mb: int | None = Field(None, strict=True, ge=1, le=256)


class PluginManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=100)]
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$", max_length=32)]
    type: Literal["processor", "connector", "analyzer", "utility"]
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    permissions: list[Permission] = Field(default_factory=list, max_length=len(PERMISSIONS), description=(
        "The powers it asks for; the member who installs it grants them all"))
    hooks: list[HookName] = Field(min_length=1, max_length=20, description=(
        "The hooks it handles: the module must export `hook_<name>` for each"))
    http_hosts: list[Host] = Field(default_factory=list, max_length=20, description=(
        "The hosts `http_fetch` may reach (with the `http` permission)"))
    priority: int = Field(100, strict=True, ge=0, le=1000, description=(
        "On a hook several plugins handle, the lower runs first"))
    limits: PluginLimits | None = Field(None, description="Its invocations' limits, within the plan's")
    config: ConfigSchema | None = Field(None, description=(
        "Its settings, as a JSON Schema of an object of flat properties (docs/plugins.md); `writeOnly` ones are "
        "secrets"))

    def config_json(self) -> str | None:
        """Its ``config`` as a plugin keeps it."""
        return self.config.model_dump_json(by_alias=True, exclude_none=True) if self.config else None

    def limits_json(self) -> str | None:
        """Its ``limits`` as a plugin keeps it (``Limits.from_json`` reads it)."""
        return self.limits.model_dump_json(exclude_none=True) if self.limits else None

    @field_validator("permissions", "hooks", "http_hosts")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("each value at most once")
        return values


class UploadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"size": 6362, "sha256": SHA256_EXAMPLE}]})

    size: int = Field(strict=True, ge=1, le=MAX_MODULE_BYTES, description="In bytes; the upload must be exactly this")
    sha256: Sha256 = Field(description="The module's SHA-256, hex: the stored bundle must match it")


class UploadOut(BaseModel):
    upload_id: str
    url: str = Field(description="POST a multipart form here: every field of `fields`, then the module as `file`")
    fields: dict[str, str]
    expires_at: str = Field(description="When the URL stops accepting the bundle")


class InstallCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"upload_id": "upl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "manifest": {
            "name": "Proof counter", "version": "1.0.0", "type": "utility", "description": "Counts proofs.",
            "permissions": ["storage"], "hooks": ["count", "hello"]}}]})

    upload_id: Annotated[str, StringConstraints(max_length=40)]
    manifest: PluginManifest


class ListingInstall(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": "1.0.0"}]})

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$", max_length=32)] | None = Field(
        None, description="An approved version (none: the latest)")


class UpgradeOut(BaseModel):
    version: str
    status: Literal["scanning", "awaiting_consent", "rejected"] = Field(description=(
        "`awaiting_consent`: it asks for `added_permissions`; an admin approves or declines them"))
    permissions: list[str]
    added_permissions: list[str] = Field(description="Beyond those granted (known once scanned)")
    added_hosts: list[str] = Field(description="Hosts `http_fetch` would reach beyond those granted")
    findings: list[str] = Field(description="Why its scan refused it")
    job_id: str
    requested_by: str
    requested_at: str


class PluginOut(BaseModel):
    id: str
    name: str
    version: str
    type: str
    description: str
    status: Literal["scanning", "installed", "rejected"]
    permissions: list[str] = Field(description="Granted at install")
    granted_by: str
    granted_at: str
    declared_hooks: list[str]
    hooks: list[str] = Field(description="Exported by the module, as the scan found them")
    http_hosts: list[str]
    priority: int
    limits: dict[str, int] = Field(description="Each invocation's: `timeout_ms`, `fuel`, `memory_bytes`")
    config_schema: dict[str, Any] | None = Field(description="The manifest's `config`")
    loaded: bool = Field(description="Whether its hooks run (`POST /v1/plugins/{id}/unload` stops them)")
    security_scan_passed: bool | None = Field(description="Null while its install job scans it")
    scan_findings: list[str] = Field(description="Why the scan refused it")
    sha256: str
    size: int
    job_id: str = Field(description="The install job (`/v1/jobs/{job_id}`)")
    pending_upgrade: UpgradeOut | None = Field(description="A new version asked for, while this one runs")
    created_at: str


class PluginList(BaseModel):
    data: list[PluginOut]
    next_cursor: str | None


class HookRun(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"payload": {"proof_id": "prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}, "plugin_id": None}]})

    payload: dict[str, Any] = Field(default_factory=dict, description="The hook's input, as the plugin receives it")
    plugin_id: Annotated[str, StringConstraints(max_length=40)] | None = Field(None, description=(
        "Run this plugin alone (it must handle the hook); else every loaded plugin handling it, in priority order"))


class PluginRunOut(BaseModel):
    plugin_id: str
    outcome: str = Field(description="`ok`, `out_of_fuel`, `timeout`, `trap`, `bad_answer`, `missing`, "
                                     "`runner_failed`")
    answer: Any = Field(description="The hook's answer (JSON), if it gave one")
    error: str | None
    duration_ms: float
    fuel_used: int
    logs: list[str]
    denied: dict[str, int] = Field(description="Host calls refused for want of a permission, by permission")


class HookRunOut(BaseModel):
    hook: str
    results: list[PluginRunOut]


class HookMetrics(BaseModel):
    hook: str
    invocations: int
    errors: int
    timeouts: int
    out_of_fuel: int
    denied: int = Field(description="Host calls refused for want of a permission")
    fuel_used: int
    p50_ms: float | None = Field(description="Upper bound of the duration bucket holding the median")
    p95_ms: float | None


class HourMetrics(HookMetrics):
    hour: str = Field(description="The hour's start (UTC)")


class PluginMetricsOut(BaseModel):
    plugin_id: str
    since: str
    hooks: list[HookMetrics] = Field(description="Totals over the period, per hook")
    hours: list[HourMetrics] = Field(description="Per hour and hook, oldest first")


class HookOut(BaseModel):
    name: str = Field(description="What a manifest's `hooks` names; the module exports `hook_<name>`, dots as `_`")
    kind: Literal["synchronous", "event"] = Field(description=(
        "`synchronous`: run while an app's request waits, and may refuse it (`{\"allow\": false, \"reason\": "
        "...}`); `event`: run after the event, with its envelope"))
    description: str
    timeout_ms: int = Field(description="How long each plugin may take")


class HookList(BaseModel):
    data: list[HookOut]


class ConfigIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"values": {"threshold": 3, "api_key": "sk_live_..."}}]})

    values: dict[str, Any] = Field(description=(
        "Every setting to keep (one left out is unset, or its default); a secret left out keeps its value, and "
        "`null` clears it"))


class ConfigOut(BaseModel):
    plugin_id: str
    values: dict[str, Any] = Field(description="The settings in force, defaults included; never a secret")
    secrets: dict[str, bool] = Field(description="Each secret of the schema: whether it is set")
    updated_at: str | None
    updated_by: str | None


class SdkFile(BaseModel):
    path: str
    content: str


class SdkOut(BaseModel):
    language: str
    abi: str = Field(description="Where the ABI is documented, for any other language")
    build: str = Field(description="How the example builds")
    files: list[SdkFile] = Field(description="The guest library and the example plugin (a template), as source")
