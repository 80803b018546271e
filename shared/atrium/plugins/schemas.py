"""Request and response bodies of the plugin routes, and the manifest a plugin is installed with."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from atrium.plugins.runtime.abi import PERMISSIONS
from atrium.plugins.runtime.scan import MAX_MODULE_BYTES

SHA256_EXAMPLE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
Permission = Literal["http", "storage", "files:read", "files:write", "events:emit", "notify", "secrets"]
HookName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Host = Annotated[str, StringConstraints(max_length=253,
                                        pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$", to_lower=True)]


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
    security_scan_passed: bool | None = Field(description="Null while its install job scans it")
    scan_findings: list[str] = Field(description="Why the scan refused it")
    sha256: str
    size: int
    job_id: str = Field(description="The install job (`/v1/jobs/{job_id}`)")
    created_at: str


class PluginList(BaseModel):
    data: list[PluginOut]
    next_cursor: str | None
