"""Request and response bodies of the marketplace's routes (developers', operators' and tenants')."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from atrium.plugins.schemas import PluginManifest

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=100)]


class ListingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Proof guard", "type": "processor", "description": "Holds proofs marked [hold]."}]})

    name: Name
    type: Literal["processor", "connector", "analyzer", "utility"]
    description: Annotated[str, StringConstraints(max_length=2000)] = ""


class VersionSubmit(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"upload_id": "upl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "manifest": {
            "name": "Proof guard", "version": "1.0.0", "type": "processor", "permissions": ["storage"],
            "hooks": ["proof.before_submit"]}}]})

    upload_id: Annotated[str, StringConstraints(max_length=40)]
    manifest: PluginManifest


class VersionOut(BaseModel):
    listing_id: str
    version: str
    status: Literal["scanning", "pending_review", "approved", "rejected"]
    permissions: list[str]
    hooks: list[str]
    sha256: str
    size: int
    findings: list[str] = Field(description="Why its scan refused it")
    review_notes: str
    submitted_at: str


class ListingOut(BaseModel):
    id: str
    name: str
    type: str
    description: str
    developer: str = Field(description="The developer's name")
    verified: bool = Field(description="The operators checked who publishes it")
    trusted: bool = Field(description="The operators vouch for it")
    featured: bool
    latest_version: str | None = Field(description="The newest approved version (none: not listed yet)")
    permissions: list[str] = Field(description="What the latest version asks for")
    installs: int = Field(description="Ever")
    active_installs: int = Field(description="Installed now, in as many tenants")
    errors: int = Field(description="Its invocations that failed, in every tenant")
    rating: float | None = Field(description="Mean stars, 1 to 5")
    ratings: int


class ListingDetail(ListingOut):
    versions: list[VersionOut] = Field(description="Approved versions, newest first (to the developer: all)")


class ListingPage(BaseModel):
    data: list[ListingOut]
    next_cursor: str | None


class VersionPage(BaseModel):
    data: list[VersionOut]
    next_cursor: str | None


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"notes": "Checked the hooks."}]})

    notes: Annotated[str, StringConstraints(max_length=2000)] = ""


class ListingMarks(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"verified": True, "trusted": False, "featured": True}]})

    verified: bool
    trusted: bool
    featured: bool


class Download(BaseModel):
    url: str = Field(description="A presigned GET of the module, for 15 minutes")
    sha256: str
    size: int


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"stars": 5, "text": "Saves us."}]})

    stars: int = Field(strict=True, ge=1, le=5)
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class RatingOut(BaseModel):
    stars: int
    text: str
    rated_at: str


class RatingPage(BaseModel):
    data: list[RatingOut]
    next_cursor: str | None
