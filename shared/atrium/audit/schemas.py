"""Audit API shapes."""

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from atrium.audit.models import MAX_RETENTION_DAYS

MIN_RETENTION_DAYS = 7


class RefOut(BaseModel):
    type: str
    id: str
    name: str | None


class RequestContextOut(BaseModel):
    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


class AuditEventOut(BaseModel):
    id: str
    action: str
    occurred_at: datetime
    actor: RefOut
    targets: list[RefOut]
    context: RequestContextOut
    metadata: dict[str, Any]
    outcome: Literal["success", "denied"]
    seq: int | None = Field(description="Position in the tenant's chain; null for a moment, until it is chained")
    hash: str | None = Field(description="Keyed hash linking the entry to the one before it")


class AuditEventList(BaseModel):
    data: list[AuditEventOut]
    next_cursor: str | None


class FindingOut(BaseModel):
    kind: Literal["altered", "missing", "truncated", "bad_checkpoint"]
    detail: str
    seq: int | None
    entry_id: str | None


class VerificationOut(BaseModel):
    intact: bool
    head_seq: int
    entries_verified: int
    first_seq: int | None
    last_seq: int | None
    expired_before_seq: int | None = Field(description="Older entries left by retention (TTL)")
    pending: int = Field(description="Entries written but not yet chained (chained within seconds)")
    checkpoints_checked: int
    findings: list[FindingOut]


class AuditSettingsOut(BaseModel):
    retention_days: int


class AuditSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"retention_days": 730}]})

    retention_days: int = Field(ge=MIN_RETENTION_DAYS, le=MAX_RETENTION_DAYS,
                                description="How long entries are kept after they happen")


class AuditExportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, json_schema_extra={"examples": [
        {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z", "format": "jsonl"}]})

    since: AwareDatetime = Field(alias="from", description="Entries at or after this time")
    until: AwareDatetime = Field(alias="to", description="Entries at or before this time")
    format: Literal["jsonl", "csv"] = "jsonl"

    @model_validator(mode="after")
    def _ordered(self) -> "AuditExportCreate":
        if self.since >= self.until:
            raise ValueError("from must be before to")
        if (self.until - self.since).days > MAX_RETENTION_DAYS + 1:
            raise ValueError(f"an export covers at most {MAX_RETENTION_DAYS} days")
        return self
