"""Event types the proofs app emits: every change to a proof is audited and emitted (webhooks deliver them)."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from atrium.kernel.events.catalog import EventType

_PROOF_EXAMPLE: dict[str, Any] = {"proof_id": "prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "title": "Spring campaign poster",
                  "status": "in_review", "owner_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "current_version": 2}


class ProofChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_PROOF_EXAMPLE]})

    proof_id: str
    title: str
    status: str
    owner_id: str
    current_version: int | None


class ProofVersionAdded(ProofChanged):
    model_config = ConfigDict(json_schema_extra={"examples": [
        _PROOF_EXAMPLE | {"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                          "size": 1048576, "content_type": "image/png"}]})

    sha256: str
    size: int
    content_type: str


class ProofDeleted(ProofChanged):
    """``stored_bytes``: the bytes of its versions' files, which go with it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_PROOF_EXAMPLE | {"stored_bytes": 1048576}]})

    stored_bytes: int


class ProofDecided(ProofChanged):
    """One reviewer's decision; ``status`` is the proof's after it (``approved`` once every required reviewer
    approved the current version)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        _PROOF_EXAMPLE | {"reviewer_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K3", "decision": "approved", "version": 2}]})

    reviewer_id: str
    decision: Literal["approved", "changes_requested", "rejected"]
    version: int


class ProofCertificateIssued(BaseModel):
    """The approval certificate of ``version`` was stored: ``sha256`` (hex) and ``size`` are the PDF's."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"proof_id": _PROOF_EXAMPLE["proof_id"], "version": 2, "size": 2198,
         "sha256": "03d66dd08835c1ca3f128cceacd1f31ac94163096b20f445ae84285bc0832d72"}]})

    proof_id: str
    version: int
    sha256: str
    size: int


PROOF_CREATED = EventType("proof.created", ProofChanged, "A proof was created.", read_permission="proofs:read")
PROOF_UPDATED = EventType("proof.updated", ProofChanged, "A proof's title, description, due date, tags, owner or "
                                                         "reviewers changed.", read_permission="proofs:read")
PROOF_DELETED = EventType("proof.deleted", ProofDeleted, "A proof was deleted, and its versions' files with it.",
                          read_permission="proofs:read")
PROOF_VERSION_ADDED = EventType("proof.version_added", ProofVersionAdded,
                                "A new version of a proof was uploaded and verified; approvals start again.",
                                read_permission="proofs:read")
PROOF_SUBMITTED = EventType("proof.submitted", ProofChanged, "A proof was submitted for review.",
                            read_permission="proofs:read")
PROOF_REVIEWER_APPROVED = EventType("proof.reviewer_approved", ProofDecided,
                                    "A reviewer approved the current version; other required reviewers have yet to.",
                                    read_permission="proofs:read")
PROOF_APPROVED = EventType("proof.approved", ProofDecided,
                           "Every required reviewer approved the proof's current version.",
                           read_permission="proofs:read")
PROOF_CHANGES_REQUESTED = EventType("proof.changes_requested", ProofDecided, "A reviewer requested changes.",
                                    read_permission="proofs:read")
PROOF_REJECTED = EventType("proof.rejected", ProofDecided, "A reviewer rejected the proof.",
                           read_permission="proofs:read")
PROOF_CERTIFICATE_ISSUED = EventType("proof.certificate_issued", ProofCertificateIssued,
                                     "The approval certificate (PDF) of an approved proof's version was stored.",
                                     read_permission="proofs:read")


# Templates and the gallery

_TEMPLATE_EXAMPLE: dict[str, Any] = {"template_id": "tpl_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "name": "Print poster",
                                     "latest_version": 2, "published_version": 1}


class TemplateChanged(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_TEMPLATE_EXAMPLE]})

    template_id: str
    name: str
    latest_version: int | None
    published_version: int | None


class TemplateVersioned(TemplateChanged):
    """A version made or published: ``version`` is its number."""

    model_config = ConfigDict(json_schema_extra={"examples": [_TEMPLATE_EXAMPLE | {"version": 2}]})

    version: int


class GalleryListingChanged(BaseModel):
    """A gallery listing as an action left it; the event is in the acting tenant's log."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"listing_id": "gal_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "name": "Print poster", "template_version": 1,
         "publisher_tenant_id": "ten_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "rating_count": 3, "rating_sum": 12,
         "import_count": 5}]})

    listing_id: str
    name: str
    template_version: int
    publisher_tenant_id: str
    rating_count: int
    rating_sum: int
    import_count: int


class GalleryTemplateRated(GalleryListingChanged):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"listing_id": "gal_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "name": "Print poster", "template_version": 1,
         "publisher_tenant_id": "ten_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "rating_count": 3, "rating_sum": 12,
         "import_count": 5, "stars": 4, "previous_stars": 3}]})

    stars: int
    previous_stars: int | None


class GalleryTemplateImported(GalleryListingChanged):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"listing_id": "gal_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "name": "Print poster", "template_version": 1,
         "publisher_tenant_id": "ten_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "rating_count": 3, "rating_sum": 12,
         "import_count": 5, "template_id": "tpl_01JDQ3Z8M4W6N0B2C4E6G8J0K3"}]})

    template_id: str  # the importing tenant's new template


TEMPLATE_CREATED = EventType("template.created", TemplateChanged, "A proof template was created.",
                             read_permission="templates:read")
TEMPLATE_UPDATED = EventType("template.updated", TemplateChanged, "A proof template's draft changed.",
                             read_permission="templates:read")
TEMPLATE_DELETED = EventType("template.deleted", TemplateChanged, "A proof template and its versions were deleted.",
                             read_permission="templates:read")
TEMPLATE_VERSION_CREATED = EventType("template.version_created", TemplateVersioned,
                                     "A template's draft was saved as a new immutable version.",
                                     read_permission="templates:read")
TEMPLATE_PUBLISHED = EventType("template.published", TemplateVersioned,
                               "A template version became the one in the tenant's library.",
                               read_permission="templates:read")
GALLERY_TEMPLATE_PUBLISHED = EventType("template.gallery_published", GalleryListingChanged,
                                       "A template version was published (or republished) in the public gallery.",
                                       read_permission="templates:read")
GALLERY_TEMPLATE_UNPUBLISHED = EventType("template.gallery_unpublished", GalleryListingChanged,
                                         "A template was taken out of the public gallery.",
                                         read_permission="templates:read")
GALLERY_TEMPLATE_RATED = EventType("template.gallery_rated", GalleryTemplateRated,
                                   "The tenant rated (or re-rated) a gallery template.",
                                   read_permission="templates:read")
GALLERY_TEMPLATE_IMPORTED = EventType("template.gallery_imported", GalleryTemplateImported,
                                      "The tenant imported a gallery template as a new template of its own.",
                                      read_permission="templates:read")

EVENT_TYPES = [PROOF_CREATED, PROOF_UPDATED, PROOF_DELETED, PROOF_VERSION_ADDED, PROOF_SUBMITTED,
               PROOF_REVIEWER_APPROVED, PROOF_APPROVED, PROOF_CHANGES_REQUESTED, PROOF_REJECTED,
               PROOF_CERTIFICATE_ISSUED,
               TEMPLATE_CREATED, TEMPLATE_UPDATED, TEMPLATE_DELETED, TEMPLATE_VERSION_CREATED, TEMPLATE_PUBLISHED,
               GALLERY_TEMPLATE_PUBLISHED, GALLERY_TEMPLATE_UNPUBLISHED, GALLERY_TEMPLATE_RATED,
               GALLERY_TEMPLATE_IMPORTED]


# Comments and mentions

class ProofCommentChanged(BaseModel):
    """A comment as it stands after the change (a deleted one has an empty body and no mentions).
    ``new_mentions`` are the members this change mentioned for the first time: they are emailed."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "proof_id": "prf_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "comment_id": "cmt_01JDQ3Z8M4W6N0B2C4E6G8J0K5",
        "author_id": "usr_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "parent_id": None, "version": 2,
        "region": {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.15},
        "body": "@[usr_01JDQ3Z8M4W6N0B2C4E6G8J0K3] the logo is too close to the edge.",
        "mentions": ["usr_01JDQ3Z8M4W6N0B2C4E6G8J0K3"], "new_mentions": ["usr_01JDQ3Z8M4W6N0B2C4E6G8J0K3"]}]})

    proof_id: str
    comment_id: str
    author_id: str
    parent_id: str | None
    version: int | None
    region: dict[str, float] | None
    body: str
    mentions: list[str]
    new_mentions: list[str]


PROOF_COMMENTED = EventType("proof.commented", ProofCommentChanged,
                            "A member commented on a proof (or answered a comment); the members it mentions are "
                            "emailed.", read_permission="proofs:read")
PROOF_COMMENT_EDITED = EventType("proof.comment_edited", ProofCommentChanged,
                                 "A comment's author changed its text; members it now mentions for the first time "
                                 "are emailed.", read_permission="proofs:read")
PROOF_COMMENT_DELETED = EventType("proof.comment_deleted", ProofCommentChanged,
                                  "A comment was deleted (its place in the thread is kept, without its text).",
                                  read_permission="proofs:read")

EVENT_TYPES += [PROOF_COMMENTED, PROOF_COMMENT_EDITED, PROOF_COMMENT_DELETED]
