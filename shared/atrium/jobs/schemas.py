"""API shapes of the jobs context."""

from typing import Any

from pydantic import BaseModel, Field


class JobOut(BaseModel):
    id: str
    kind: str
    status: str = Field(description="queued, running, succeeded or failed")
    progress: float = Field(description="0.0 to 1.0, as the job last reported it")
    progress_message: str | None
    result: dict[str, Any] | None = Field(description="What the job produced, once it succeeded")
    error: str | None = Field(description="Why the last attempt failed (kept while the job is queued for a retry)")
    attempts: int
    created_by: str
    created_at: str
    updated_at: str
    started_at: str | None = Field(description="When the last attempt started")
    finished_at: str | None


class JobList(BaseModel):
    data: list[JobOut]
    next_cursor: str | None
