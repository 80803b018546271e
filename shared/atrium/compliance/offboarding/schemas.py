"""Request and response bodies of tenant deletion."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DeletionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})


class DeletionCounts(BaseModel):
    items: int = Field(description="The tenant's items deleted")
    files: int = Field(description="Files under the tenant's prefix deleted (its backups too)")
    keys: int = Field(description="Its data keys item (every version of its keys) destroyed: 0 or 1")
    global_items: int = Field(description="Global items that pointed at it, deleted or updated")


class DeletionOut(BaseModel):
    tenant_id: str
    status: Literal["scheduled", "deleting", "deleted", "cancelled"]
    requested_by: str
    requested_at: str
    due_at: str = Field(description="When the daily deletion run deletes the tenant; cancelable until then")
    final_backup_id: str = Field(description="The backup written when the deletion was requested "
                                             "(`/v1/backups/{final_backup_id}`), for the owner to keep")
    counts: DeletionCounts
    finished_at: str | None
