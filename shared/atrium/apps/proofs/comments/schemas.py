"""API shapes of comments on a proof: a body that may mention members, optionally on a version and a region."""

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

MAX_MENTIONS = 20
# Two fractions summing to 1 may come out a hair above it in binary floating point.
_EPSILON = 1e-9

Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
CommentId = Annotated[str, StringConstraints(pattern=r"^cmt_[0-9A-Za-z]{1,40}$")]
Fraction = Annotated[float, Field(strict=True, ge=0, le=1)]

_BODY_DOC = f"Mention a member with @[<user id>] (at most {MAX_MENTIONS}): each is emailed"
_EXAMPLE_USER = "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2"


class RegionIn(BaseModel):
    """A rectangle of the image: its top-left corner and size, as fractions of the image's width and height."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"x": 0.1, "y": 0.2, "w": 0.3,
                                                                               "h": 0.15}]})

    x: Fraction
    y: Fraction
    w: Fraction
    h: Fraction

    @model_validator(mode="after")
    def _inside(self) -> Self:
        if self.x + self.w > 1 + _EPSILON or self.y + self.h > 1 + _EPSILON:
            raise ValueError("the region must lie inside the image: x + w <= 1 and y + h <= 1")
        return self


class CommentCreate(BaseModel):
    """A top-level comment may name a version and a region of it; a reply (``parent_id``) is on its parent's
    version and names neither."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"body": "Nice work overall."},
        {"body": "The logo is too close to the edge.", "version": 1,
         "region": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.15}},
        {"body": f"Agreed, @[{_EXAMPLE_USER}] can you move it?", "parent_id": "cmt_01JDQ3Z8M4W6N0B2C4E6G8J0K2"},
    ]})

    body: Body = Field(description=_BODY_DOC)
    parent_id: CommentId | None = Field(default=None, description="The comment this one answers")
    version: int | None = Field(default=None, strict=True, ge=1, description="The version it is about")
    region: RegionIn | None = Field(default=None, description="Where on the version's image (needs a version)")

    @model_validator(mode="after")
    def _region_on_a_version(self) -> Self:
        if self.region is not None and self.version is None:
            raise ValueError("a region is on a version: name the version")
        return self


class CommentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"body": "The logo is too close to the top edge."}]})

    body: Body = Field(description=_BODY_DOC)


class RegionOut(BaseModel):
    x: float
    y: float
    w: float
    h: float


class CommentOut(BaseModel):
    id: str
    proof_id: str
    author_id: str
    parent_id: str | None
    version: int | None
    region: RegionOut | None
    body: str = Field(description="Empty once deleted")
    mentions: list[str] = Field(description="The user ids the body mentions")
    deleted: bool
    edited_at: str | None
    created_at: str


class CommentList(BaseModel):
    data: list[CommentOut]
    next_cursor: str | None
