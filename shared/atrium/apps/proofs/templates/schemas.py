"""API shapes of templates, their versions, proofs made from them and the public gallery."""

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue, StrictBool, StringConstraints

from atrium.apps.proofs.proofs.schemas import Description, Reviewers, Tags, Title

MAX_FIELDS = 30
MAX_CHECKLIST = 50

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ChecklistEntry = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
TextValue = Annotated[str, StringConstraints(max_length=2000)]

_FIELDS_EXAMPLE: list[JsonValue] = [
    {"name": "size", "label": "Print size", "type": "text", "required": True},
    {"name": "copies", "label": "Copies", "type": "number", "required": False}]
_TEMPLATE_EXAMPLE: dict[str, JsonValue] = {
    "name": "Print poster", "description": "Posters for print campaigns", "tags": ["print"],
    "fields": _FIELDS_EXAMPLE, "checklist": ["Bleed is 3 mm", "Colours are CMYK"]}


class FieldType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHECKBOX = "checkbox"


class TemplateField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: FieldName = Field(description="The key of the value a proof gives: lowercase letters, digits and _")
    label: Label
    type: FieldType = FieldType.TEXT
    required: StrictBool = False


class TemplateBody(BaseModel):
    """What a template gives a proof: fields to fill in, default reviewers and a checklist."""

    model_config = ConfigDict(extra="forbid")

    fields: Annotated[list[TemplateField], Field(max_length=MAX_FIELDS)] = []
    default_reviewers: Reviewers = []
    checklist: Annotated[list[ChecklistEntry], Field(max_length=MAX_CHECKLIST)] = []


class TemplateCreate(TemplateBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_TEMPLATE_EXAMPLE]})

    name: Name
    description: Description = ""
    tags: Tags = []


class TemplateUpdate(BaseModel):
    """Changes the draft; fields left out keep their value. Versions already made do not change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"name": "Print poster (A1)", "checklist": ["Bleed is 3 mm"]}]})

    name: Name | None = None
    description: Description | None = None
    tags: Tags | None = None
    fields: Annotated[list[TemplateField], Field(max_length=MAX_FIELDS)] | None = None
    default_reviewers: Reviewers | None = None
    checklist: Annotated[list[ChecklistEntry], Field(max_length=MAX_CHECKLIST)] | None = None


class TemplateFieldOut(BaseModel):
    name: str
    label: str
    type: FieldType
    required: bool


class ReviewerDefault(BaseModel):
    user_id: str
    required: bool


class TemplateOut(BaseModel):
    id: str
    name: str
    description: str
    tags: list[str]
    fields: list[TemplateFieldOut]
    default_reviewers: list[ReviewerDefault]
    checklist: list[str]
    latest_version: int | None = Field(description="The newest version's number; null before the first")
    published_version: int | None = Field(description="The version in the tenant's library")
    gallery_listing_id: str | None = Field(description="The public gallery listing, while listed")
    imported_from: str | None = Field(description="The gallery listing it was copied from")
    created_at: str
    updated_at: str


class TemplateList(BaseModel):
    data: list[TemplateOut]
    next_cursor: str | None


class TemplateVersionOut(BaseModel):
    template_id: str
    version: int
    name: str
    description: str
    tags: list[str]
    fields: list[TemplateFieldOut]
    default_reviewers: list[ReviewerDefault]
    checklist: list[str]
    created_by: str
    created_at: str


class TemplateVersionList(BaseModel):
    data: list[TemplateVersionOut]
    next_cursor: str | None


FieldValue = StrictBool | int | float | TextValue | None


class ProofFromTemplate(BaseModel):
    """A proof from the template's library version, or from ``version`` when given."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "Spring campaign poster", "due_date": "2026-12-15", "values": {"size": "A2", "copies": 500}}]})

    title: Title
    description: Description = ""
    due_date: dt.date | None = None
    version: int | None = Field(default=None, strict=True, ge=1, description="Default: the published version")
    values: Annotated[dict[str, FieldValue], Field(max_length=MAX_FIELDS)] = Field(
        default_factory=dict, description="A value per field name: text, number, date (YYYY-MM-DD) or checkbox")


class GalleryPublish(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"version": 1}]})

    version: int | None = Field(default=None, strict=True, ge=1, description="Default: the published version")


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"stars": 4}]})

    stars: int = Field(strict=True, ge=1, le=5)


class GalleryListingOut(BaseModel):
    id: str
    name: str
    description: str
    tags: list[str]
    fields: list[TemplateFieldOut]
    checklist: list[str]
    template_version: int
    publisher_tenant_id: str
    publisher_name: str | None = Field(description="The publishing tenant's name when it published")
    rating_average: float | None = Field(description="Mean stars (1-5) over the tenants that rated; null if none")
    rating_count: int
    import_count: int = Field(description="Imports by other tenants")
    published_at: str
    updated_at: str


class GalleryListingList(BaseModel):
    data: list[GalleryListingOut]
    next_cursor: str | None

