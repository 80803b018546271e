"""Request and response bodies of the backup routes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class EntityCount(BaseModel):
    items: int
    content_sha256: str


class BackupOut(BaseModel):
    id: str
    status: Literal["running", "succeeded", "failed"]
    trigger: Literal["manual", "scheduled", "final"]
    job_id: str = Field(description="The job that writes it (`/v1/jobs/{job_id}`): its progress, or why it failed")
    created_by: str
    created_at: str
    finished_at: str | None
    items: int = Field(description="Items written, every type")
    files: int
    bytes: int = Field(description="Size of the parts and files written")
    entities: dict[str, EntityCount] = Field(description="By type: items and their content hash")
    manifest_sha256: str | None
    export_sha256: str | None = Field(description="The final backup's readable copy, for the tenant to keep "
                                                  "(`GET /v1/tenant/deletion/export`); null for any other backup")
    error: str | None = Field(description="Why a failed backup failed (its job's last error); retrying the job "
                                          "(`POST /v1/jobs/{job_id}/retry`) writes it again")


class BackupList(BaseModel):
    data: list[BackupOut]
    next_cursor: str | None


class BackupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})


class RestoreCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"target": "new_tenant", "name": "Acme (restored)"},
        {"target": "same_tenant_point_in_time", "confirm": "bkp_01JEXAMPLE0000000000000000"}]})

    target: Literal["new_tenant", "same_tenant_point_in_time"]
    name: str | None = Field(default=None, min_length=1, max_length=100,
                             description="The new tenant's name (new_tenant; default: this one's, \"(restored)\")")
    confirm: str | None = Field(default=None, max_length=64,
                                description="same_tenant_point_in_time: the backup's id, to confirm that the "
                                            "tenant's items are rolled back to it")


class ScheduleBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"frequency": "daily", "keep": 7}]})

    frequency: Literal["daily", "weekly"]
    keep: int = Field(ge=1, le=90, description="Backups kept; older ones are deleted as new ones are made")


class ScheduleOut(BaseModel):
    frequency: Literal["daily", "weekly"] | None = Field(description="null: the tenant is not backed up on a schedule")
    keep: int | None
