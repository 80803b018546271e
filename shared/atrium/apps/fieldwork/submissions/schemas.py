"""API shapes of district submissions and of a district's queue of signed reports."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from atrium.apps.fieldwork.reports.schemas import REPORT_EXAMPLE, ReportChanged
from atrium.apps.fieldwork.schemas import Notes, Stamped


class SubmissionStatus(StrEnum):
    PREPARING = "preparing"  # its job renders, stores and emails it
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class QueuedReport(ReportChanged):
    """A signed report waiting to be submitted to its district."""

    model_config = ConfigDict(json_schema_extra={"examples": [REPORT_EXAMPLE | {"submission_deadline": "2026-12-14"}]})

    submission_deadline: dt.date = Field(description="Its test day plus the district's submission deadline days")


class QueuedReportList(BaseModel):
    data: list[QueuedReport]
    next_cursor: str | None


class SubmissionFile(BaseModel):
    name: str = Field(description="The file's name: the report's id (.pdf), or summary.csv")
    report_id: str | None = Field(description="The report it shows (null: the batch's CSV summary)")
    content_type: str
    size: int
    sha256: str = Field(description="Hex SHA-256 of the stored file")


_SUBMISSION_EXAMPLE: dict[str, JsonValue] = {
    "id": "sbm_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "district_id": "dst_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "status": "sent",
    "report_ids": ["rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2"], "job_id": "job_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "created_by": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
    "files": [{"name": "rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2.pdf", "report_id": "rpt_01JDQ3Z8M4W6N0B2C4E6G8J0K2",
               "content_type": "application/pdf", "size": 1893,
               "sha256": "03d66dd08835c1ca3f128cceacd1f31ac94163096b20f445ae84285bc0832d72"},
              {"name": "summary.csv", "report_id": None, "content_type": "text/csv", "size": 412,
               "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}],
    "sent_to": "backflow@sub.example", "sent_at": "2026-12-07T06:00:04.000Z", "answered_at": None,
    "answered_by": None, "answer_note": None}


class SubmissionChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SUBMISSION_EXAMPLE]})

    id: str
    district_id: str
    status: SubmissionStatus
    report_ids: list[str] = Field(description="The reports it sends, oldest test first")
    job_id: str = Field(description="The job that renders, stores and emails it (GET /v1/jobs/{job_id})")
    created_by: str = Field(description="Who asked for it (a user, or the weekly schedule)")
    files: list[SubmissionFile] = Field(description="Stored so far: each report's PDF and the CSV summary")
    sent_to: str | None = Field(description="The district's submission email it was sent to")
    sent_at: str | None
    answered_at: str | None = Field(description="When the district's answer was recorded")
    answered_by: str | None
    answer_note: str | None = Field(description="The district's reference on acceptance, its reason on rejection")


class SubmissionListed(SubmissionChanged, Stamped):
    pass


class SubmissionOut(SubmissionListed):
    download_urls: dict[str, str] = Field(description="A download link for each file, by name, valid for an hour "
                                                      "(read the submission again for fresh ones)")


class SubmissionList(BaseModel):
    data: list[SubmissionListed]
    next_cursor: str | None


class SubmissionAccept(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "District ref. 2026-118"}]})

    note: Notes = ""


class SubmissionReject(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"reason": "Report for serial 4471 lacks the relief valve reading"}]})

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
