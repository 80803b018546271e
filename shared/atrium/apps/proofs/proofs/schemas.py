"""API shapes of proofs, their reviewers, versions and decisions."""

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

MAX_TAGS = 10
MAX_REVIEWERS = 10

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True,
                                       pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
Tags = Annotated[list[Tag], Field(max_length=MAX_TAGS, description="Words of letters, digits, _ and -, kept lowercase")]
UserId = Annotated[str, StringConstraints(pattern=r"^usr_[0-9A-Za-z]{1,40}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class ProofStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class ReviewerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId
    required: StrictBool = Field(default=True, description="Whether this reviewer's approval is needed")


Reviewers = Annotated[list[ReviewerIn], Field(max_length=MAX_REVIEWERS)]


class ProofCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "Spring campaign poster", "description": "A2, print", "due_date": "2026-12-15",
         "tags": ["print", "spring"], "reviewers": [{"user_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2"}]}]})

    title: Title
    description: Description = ""
    due_date: dt.date | None = None
    tags: Tags = []
    owner_id: UserId | None = Field(default=None, description="A member of the tenant; default: the caller")
    reviewers: Reviewers = []


class ProofUpdate(BaseModel):
    """Fields left out keep their value; ``due_date`` sent as null removes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "Spring campaign poster (A1)", "tags": ["print"]}]})

    title: Title | None = None
    description: Description | None = None
    due_date: dt.date | None = None
    tags: Tags | None = None
    owner_id: UserId | None = None
    reviewers: Reviewers | None = None


class ReviewerOut(BaseModel):
    user_id: str
    required: bool
    approved_current_version: bool


class ProofOut(BaseModel):
    id: str
    title: str
    description: str
    due_date: str | None
    tags: list[str]
    owner_id: str
    status: ProofStatus
    reviewers: list[ReviewerOut]
    current_version: int | None = Field(description="The latest version's number; null before the first upload")
    template: dict[str, Any] | None = Field(default=None, description="The template it was made from")
    created_at: str
    updated_at: str


class ProofList(BaseModel):
    data: list[ProofOut]
    next_cursor: str | None


class DecisionIn(BaseModel):
    """A reviewer's decision names the version it is about: a decision on a superseded version is refused."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 2, "note": "Looks good"}]})

    version: int = Field(strict=True, ge=1)
    note: Note = ""


class DecisionOut(BaseModel):
    id: str
    version: int
    reviewer_id: str
    reviewer_email: str
    decision: str
    note: str
    ip: str | None
    decided_at: str


class DecisionList(BaseModel):
    data: list[DecisionOut]


# Uploads and versions

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SHA256_EXAMPLE = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


class UploadContentType(StrEnum):
    """What a proof may be. Not SVG: it is a document that can carry scripts, served from our bucket."""

    PNG = "image/png"
    JPEG = "image/jpeg"
    GIF = "image/gif"
    WEBP = "image/webp"
    PDF = "application/pdf"
    MP4 = "video/mp4"


class UploadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"filename": "poster-v2.png", "content_type": "image/png", "size": 1048576}]})

    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)] = Field(
        description="Kept (made safe) as the version's file name")
    content_type: UploadContentType
    size: int = Field(strict=True, ge=1, le=MAX_UPLOAD_BYTES, description="In bytes; the upload must be exactly this")


class UploadOut(BaseModel):
    upload_id: str
    url: str = Field(description="POST a multipart form here: every field of `fields`, then the file as `file`")
    fields: dict[str, str]
    expires_at: str = Field(description="When the URL stops accepting the file")


class VersionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"upload_id": "upl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "sha256": SHA256_EXAMPLE}]})

    upload_id: Annotated[str, StringConstraints(max_length=40)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$", to_lower=True)] = Field(
        description="The file's SHA-256, hex: the stored file must match it")


class VersionOut(BaseModel):
    version: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: str


class VersionList(BaseModel):
    data: list[VersionOut]
    next_cursor: str | None


class CertificateOut(BaseModel):
    version: int = Field(description="The approved version the certificate is about")
    sha256: str = Field(description="The PDF's SHA-256 (hex)")
    size: int = Field(description="The PDF's size in bytes")
    issued_at: str
    url: str = Field(description="A presigned GET of the PDF; it expires at url_expires_at")
    url_expires_at: str
