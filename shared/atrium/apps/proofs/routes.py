"""Proofs routes: proofs, their review workflow and decisions; templates and the public template gallery."""

import datetime as dt
from typing import TYPE_CHECKING, Annotated

from fastapi import Path, Query, Response
from fastapi.responses import RedirectResponse

from atrium.apps.proofs.comment_schemas import CommentCreate, CommentList, CommentOut, CommentUpdate
from atrium.apps.proofs.listing import ProofFilter
from atrium.apps.proofs.schemas import (
    CertificateOut,
    DecisionIn,
    DecisionList,
    ProofCreate,
    ProofList,
    ProofOut,
    ProofStatus,
    ProofUpdate,
    Tag,
    UploadCreate,
    UploadOut,
    UserId,
    VersionCreate,
    VersionList,
    VersionOut,
)
from atrium.apps.proofs.template_schemas import (
    GalleryListingList,
    GalleryListingOut,
    GalleryPublish,
    ProofFromTemplate,
    RatingIn,
    TemplateCreate,
    TemplateList,
    TemplateOut,
    TemplateUpdate,
    TemplateVersionList,
    TemplateVersionOut,
)
from atrium.kernel.grants import Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.proofs import (
        certificates,
        comments,
        gallery,
        listing,
        proofs,
        template_proofs,
        template_store,
        templates,
        uploads,
        versions,
        workflow,
    )
else:
    (certificates, comments, gallery, listing, proofs, template_proofs, template_store, templates, uploads, versions,
     workflow) = lazy_modules("atrium.apps.proofs", "certificates", "comments", "gallery", "listing", "proofs",
                              "template_proofs", "template_store", "templates", "uploads", "versions", "workflow")

router = ContextRouter("proofs")

PROOFS_PATH = "/v1/proofs"
PROOF_PATH = "/v1/proofs/{proof_id}"
READ = {Grant.TABLE_READ}
WRITE = {Grant.TABLE_READ, Grant.TABLE_WRITE}
_ETAG = {"ETag": {"description": "The version to send in If-Match", "schema": {"type": "string"}}}
_LOCATION = {"Location": {"description": "The new resource", "schema": {"type": "string"}}}
_NOT_FOUND = {404: {"description": "Not found in the caller's tenant"}}
_NOT_MEMBER = {422: {"description": "An owner or reviewer who is not an active member of the tenant"}}
_ILLEGAL = {409: {"description": "The proof's status does not allow this"}}


@router.post(PROOFS_PATH, name="create_proof", permission="proofs:create", status_code=201, idempotent=True,
             grants=WRITE, responses={201: {"headers": _LOCATION | _ETAG}, **_NOT_MEMBER})
def create_proof(body: ProofCreate, principal: CurrentPrincipal, info: CurrentRequest,
                 response: Response) -> ProofOut:
    """A draft proof. Upload its first version, then submit it for review."""
    proof, version = proofs.create_proof(principal, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof.id}"
    response.headers["ETag"] = etag(version)
    return proof


@router.get(PROOFS_PATH, name="list_proofs", permission="proofs:read", grants={*READ, Grant.CURSOR_KEY_READ},
            responses={422: {"description": "More than one of status, reviewer, owner and tag"}})
def list_proofs(principal: CurrentPrincipal, paging: Paging,
                status: Annotated[ProofStatus | None, Query()] = None,
                reviewer: Annotated[UserId | None, Query(description="A reviewer's user id")] = None,
                owner: Annotated[UserId | None, Query(description="The owner's user id")] = None,
                tag: Annotated[Tag | None, Query()] = None,
                due_after: Annotated[dt.date | None, Query(description="Due on or after (YYYY-MM-DD)")] = None,
                due_before: Annotated[dt.date | None, Query(description="Due on or before (YYYY-MM-DD)")] = None,
                ) -> ProofList:
    """The tenant's proofs by due date (none last), filtered by one of status, reviewer, owner and tag, and
    optionally a due-date range."""
    where = ProofFilter(status=status, reviewer=reviewer, owner=owner, tag=tag, due_after=due_after,
                        due_before=due_before)
    return listing.list_proofs(principal, where, limit=paging.limit, cursor=paging.cursor)


@router.get(PROOF_PATH, name="get_proof", permission="proofs:read", grants=READ,
            responses={200: {"headers": _ETAG}, **_NOT_FOUND})
def get_proof(proof_id: str, principal: CurrentPrincipal, response: Response) -> ProofOut:
    """A proof. The ETag header is the version to send in If-Match."""
    proof, version = proofs.get_proof(principal, proof_id)
    response.headers["ETag"] = etag(version)
    return proof


@router.patch(PROOF_PATH, name="update_proof", permission="proofs:update", grants=WRITE,
              responses={200: {"headers": _ETAG}, **_NOT_FOUND, **_NOT_MEMBER,
                         409: {"description": "Reviewers of a decided proof cannot change"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"}})
def update_proof(proof_id: str, body: ProofUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                 info: CurrentRequest, response: Response) -> ProofOut:
    """Change a proof's title, description, due date, tags, owner or reviewers. Requires If-Match."""
    proof, new_version = proofs.update_proof(principal, proof_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return proof


@router.delete(PROOF_PATH, name="delete_proof", permission="proofs:delete", status_code=204, grants=WRITE,
               responses=_NOT_FOUND)
def delete_proof(proof_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    proofs.delete_proof(principal, proof_id, info)


@router.post(f"{PROOF_PATH}/submit", name="submit_proof", permission="proofs:submit", grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "Not a draft or changes_requested; no version uploaded; "
                                                          "no required reviewer"}})
def submit_proof(proof_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Send a draft (or a proof with changes requested) to its reviewers."""
    return workflow.submit(principal, proof_id, info)


_DECISION = {**_NOT_FOUND, 403: {"description": "The caller is not one of the proof's reviewers"},
             409: {"description": "The proof is not in review, the version is not the current one, or the caller "
                                  "already approved it"}}


@router.post(f"{PROOF_PATH}/approve", name="approve_proof", permission="proofs:review", grants=WRITE,
             responses=_DECISION)
def approve_proof(proof_id: str, body: DecisionIn, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Approve the current version. Once every required reviewer has, the proof is approved and its approval
    certificate is rendered (a job)."""
    return workflow.decide(principal, proof_id, "approved", body, info)


@router.post(f"{PROOF_PATH}/request-changes", name="request_proof_changes", permission="proofs:review",
             grants=WRITE, responses=_DECISION)
def request_proof_changes(proof_id: str, body: DecisionIn, principal: CurrentPrincipal,
                          info: CurrentRequest) -> ProofOut:
    """Send the proof back to its owner; approvals so far are void."""
    return workflow.decide(principal, proof_id, "changes_requested", body, info)


@router.post(f"{PROOF_PATH}/reject", name="reject_proof", permission="proofs:review", grants=WRITE,
             responses=_DECISION)
def reject_proof(proof_id: str, body: DecisionIn, principal: CurrentPrincipal, info: CurrentRequest) -> ProofOut:
    """Reject the proof (final)."""
    return workflow.decide(principal, proof_id, "rejected", body, info)


@router.get(f"{PROOF_PATH}/decisions", name="list_proof_decisions", permission="proofs:read", grants=READ,
            responses=_NOT_FOUND)
def list_proof_decisions(proof_id: str, principal: CurrentPrincipal) -> DecisionList:
    """Every decision on the proof, oldest first, with the version it was about."""
    return workflow.list_decisions(principal, proof_id)


# Uploads and versions

_TAKES_NO_VERSIONS = {409: {"description": "The proof is approved or rejected"}}
VersionNumber = Annotated[str, Path(description="The version's number (1, 2, ...)")]


@router.post(f"{PROOF_PATH}/uploads", name="request_proof_upload", permission="proofs:update", status_code=201,
             idempotent=True, grants={*WRITE, Grant.FILES_WRITE},
             responses={**_NOT_FOUND, **_TAKES_NO_VERSIONS,
                        422: {"description": "A content type not accepted, or a size over 200 MB"}})
def request_proof_upload(proof_id: str, body: UploadCreate, principal: CurrentPrincipal,
                         info: CurrentRequest) -> UploadOut:
    """A presigned form to upload the proof's next file straight to S3 (exactly `size` bytes of `content_type`,
    within the hour), then record it as a version with `POST .../versions` within a day."""
    return uploads.request_upload(principal, proof_id, body, info)


@router.post(f"{PROOF_PATH}/versions", name="add_proof_version", permission="proofs:update", status_code=201,
             idempotent=True, grants={*WRITE, Grant.FILES_READ},
             responses={201: {"headers": _LOCATION}, **_NOT_FOUND, **_TAKES_NO_VERSIONS,
                        422: {"description": "An unknown or expired upload; no file uploaded; its size, type or "
                                             "SHA-256 differs from what was declared"}})
def add_proof_version(proof_id: str, body: VersionCreate, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> VersionOut:
    """Record an uploaded file, once verified, as the proof's next version. Approvals so far are void: reviewers
    decide on the new version."""
    version = versions.record_version(principal, proof_id, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof_id}/versions/{version.version}"
    return version


@router.get(f"{PROOF_PATH}/versions", name="list_proof_versions", permission="proofs:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=_NOT_FOUND)
def list_proof_versions(proof_id: str, principal: CurrentPrincipal, paging: Paging) -> VersionList:
    """The proof's versions, newest first."""
    return versions.list_versions(principal, proof_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{PROOF_PATH}/versions/{{version}}", name="get_proof_version", permission="proofs:read", grants=READ,
            responses=_NOT_FOUND)
def get_proof_version(proof_id: str, version: VersionNumber, principal: CurrentPrincipal) -> VersionOut:
    return versions.get_version(principal, proof_id, version)


@router.get(f"{PROOF_PATH}/versions/{{version}}/download", name="download_proof_version", permission="proofs:read",
            status_code=303, grants={*READ, Grant.FILES_READ},
            responses={303: {"description": "A presigned URL of the file, in Location"}, **_NOT_FOUND})
def download_proof_version(proof_id: str, version: VersionNumber, principal: CurrentPrincipal) -> RedirectResponse:
    """Redirect to the version's file (a presigned URL that works for an hour)."""
    return RedirectResponse(versions.download_url(principal, proof_id, version), status_code=303)


# Approval certificate

@router.get(f"{PROOF_PATH}/certificate", name="get_proof_certificate", permission="proofs:read",
            grants={*READ, Grant.FILES_READ},
            responses={404: {"description": "Not found in the caller's tenant, or the current version has no "
                                            "certificate yet (it is issued by a job once the proof is approved)"}})
def get_proof_certificate(proof_id: str, principal: CurrentPrincipal) -> CertificateOut:
    """The approval certificate (PDF) of the proof's current version: its SHA-256 and a fresh download URL."""
    return certificates.get_certificate(principal.tenant_id, proof_id)


# Comments and mentions

COMMENTS_PATH = f"{PROOF_PATH}/comments"
COMMENT_PATH = f"{COMMENTS_PATH}/{{comment_id}}"
_COMMENT_GONE = {409: {"description": "The comment was deleted"}}


@router.post(COMMENTS_PATH, name="create_proof_comment", permission="proofs:comment", status_code=201,
             idempotent=True, grants=WRITE,
             responses={201: {"headers": _LOCATION | _ETAG}, **_NOT_FOUND,
                        422: {"description": "A parent not on this proof, a version it does not have, a region "
                                             "without a version, or a mention of someone who is not a member"}})
def create_proof_comment(proof_id: str, body: CommentCreate, principal: CurrentPrincipal, info: CurrentRequest,
                         response: Response) -> CommentOut:
    """Comment on a proof, or answer a comment (``parent_id``). Members mentioned as ``@[<user id>]`` are
    emailed (unless they turned mention emails off)."""
    comment, version = comments.create_comment(principal, proof_id, body, info)
    response.headers["Location"] = f"{COMMENTS_PATH.format(proof_id=proof_id)}/{comment.id}"
    response.headers["ETag"] = etag(version)
    return comment


@router.get(COMMENTS_PATH, name="list_proof_comments", permission="proofs:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=_NOT_FOUND)
def list_proof_comments(proof_id: str, principal: CurrentPrincipal, paging: Paging,
                        version: Annotated[int | None, Query(ge=1, description="Only the comments on this "
                                                                                "version")] = None) -> CommentList:
    """The proof's comments, oldest first; a client builds the threads from ``parent_id``."""
    return comments.list_comments(principal, proof_id, version, limit=paging.limit, cursor=paging.cursor)


@router.patch(COMMENT_PATH, name="update_proof_comment", permission="proofs:comment", grants=WRITE,
              responses={200: {"headers": _ETAG}, **_NOT_FOUND, **_COMMENT_GONE,
                         403: {"description": "Not the comment's author"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"},
                         422: {"description": "A mention of someone who is not a member"}})
def update_proof_comment(proof_id: str, comment_id: str, body: CommentUpdate, principal: CurrentPrincipal,
                         version: ExpectedVersion, info: CurrentRequest, response: Response) -> CommentOut:
    """Change your own comment's text. Members it now mentions for the first time are emailed."""
    comment, new_version = comments.update_comment(principal, proof_id, comment_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return comment


@router.delete(COMMENT_PATH, name="delete_proof_comment", permission="proofs:comment", status_code=204,
               grants=WRITE, responses={**_NOT_FOUND, **_COMMENT_GONE,
                                        403: {"description": "Neither the author nor allowed to delete the proof"}})
def delete_proof_comment(proof_id: str, comment_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Delete your own comment (admins, who may delete the proof, may delete any). Its replies stay: it keeps its
    place in the thread, without its text."""
    comments.delete_comment(principal, proof_id, comment_id, info)
# Templates and the gallery

TEMPLATES_PATH = "/v1/templates"
TEMPLATE_PATH = "/v1/templates/{template_id}"
GALLERY_PATH = "/v1/gallery/templates"
LISTING_PATH = "/v1/gallery/templates/{listing_id}"
_TEMPLATE_NOT_FOUND = {404: {"description": "No such template (or version) in the caller's tenant"}}
_LISTING_NOT_FOUND = {404: {"description": "No such gallery template, or it was unpublished"}}
_NO_LIBRARY_VERSION = {409: {"description": "No version named and none published to the library"}}


@router.post(TEMPLATES_PATH, name="create_template", permission="templates:create", status_code=201,
             idempotent=True, grants=WRITE, responses={201: {"headers": _LOCATION | _ETAG},
                                                       422: {"description": "A default reviewer who is not an active "
                                                                            "member; a field named twice"}})
def create_template(body: TemplateCreate, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> TemplateOut:
    """A template with a draft (fields, default reviewers, checklist). Make a version of it, then publish that
    version to the tenant's library."""
    template, version = templates.create_template(principal, body, info)
    response.headers["Location"] = f"{TEMPLATES_PATH}/{template.id}"
    response.headers["ETag"] = etag(version)
    return template


@router.get(TEMPLATES_PATH, name="list_templates", permission="templates:read", grants={*READ, Grant.CURSOR_KEY_READ})
def list_templates(principal: CurrentPrincipal, paging: Paging,
                   published: Annotated[bool, Query(description="Only the library: templates with a published "
                                                                "version, by name")] = False) -> TemplateList:
    """The tenant's templates, oldest first; or its library."""
    return templates.list_templates(principal, published=published, limit=paging.limit, cursor=paging.cursor)


@router.get(TEMPLATE_PATH, name="get_template", permission="templates:read", grants=READ,
            responses={200: {"headers": _ETAG}, **_TEMPLATE_NOT_FOUND})
def get_template(template_id: str, principal: CurrentPrincipal, response: Response) -> TemplateOut:
    """A template and its draft. The ETag header is the version to send in If-Match."""
    template, version = templates.get_template(principal, template_id)
    response.headers["ETag"] = etag(version)
    return template


@router.patch(TEMPLATE_PATH, name="update_template", permission="templates:update", grants=WRITE,
              responses={200: {"headers": _ETAG}, **_TEMPLATE_NOT_FOUND,
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"},
                         422: {"description": "A default reviewer who is not an active member"}})
def update_template(template_id: str, body: TemplateUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                    info: CurrentRequest, response: Response) -> TemplateOut:
    """Change the name, description, tags or draft. Versions already made do not change. Requires If-Match."""
    template, new_version = templates.update_template(principal, template_id, body, version, info)
    response.headers["ETag"] = etag(new_version)
    return template


@router.delete(TEMPLATE_PATH, name="delete_template", permission="templates:delete", status_code=204, grants=WRITE,
               responses={**_TEMPLATE_NOT_FOUND, 409: {"description": "The template is in the public gallery"}})
def delete_template(template_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """The template and its versions; proofs made from it keep their copy."""
    templates.delete_template(principal, template_id, info)


@router.post(f"{TEMPLATE_PATH}/versions", name="create_template_version", permission="templates:update",
             status_code=201, idempotent=True, grants=WRITE,
             responses={**_TEMPLATE_NOT_FOUND, 409: {"description": "The template has as many versions as allowed"}})
def create_template_version(template_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> TemplateVersionOut:
    """Save the draft as the next immutable version."""
    return templates.create_version(principal, template_id, info)


@router.get(f"{TEMPLATE_PATH}/versions", name="list_template_versions", permission="templates:read",
            grants={*READ, Grant.CURSOR_KEY_READ}, responses=_TEMPLATE_NOT_FOUND)
def list_template_versions(template_id: str, principal: CurrentPrincipal, paging: Paging) -> TemplateVersionList:
    """The template's versions, oldest first."""
    return templates.list_versions(principal, template_id, limit=paging.limit, cursor=paging.cursor)


@router.post(f"{TEMPLATE_PATH}/versions/{{template_version}}/publish", name="publish_template_version",
             permission="templates:publish", grants=WRITE, responses=_TEMPLATE_NOT_FOUND)
def publish_template_version(template_id: str, template_version: str, principal: CurrentPrincipal,
                             info: CurrentRequest) -> TemplateOut:
    """Make this version the one in the tenant's library: proofs are made from it unless they name another."""
    number = template_store.version_number(template_version)
    return templates.publish_version(principal, template_id, number, info)


@router.post(f"{TEMPLATE_PATH}/proofs", name="create_proof_from_template", permission="templates:use",
             status_code=201, idempotent=True, grants=WRITE,
             responses={201: {"headers": _LOCATION | _ETAG}, **_TEMPLATE_NOT_FOUND, **_NO_LIBRARY_VERSION,
                        422: {"description": "Values that do not fit the fields; a default reviewer who left"}})
def create_proof_from_template(template_id: str, body: ProofFromTemplate, principal: CurrentPrincipal,
                               info: CurrentRequest, response: Response) -> ProofOut:
    """A draft proof from the library version (or ``version``): the values are checked against its fields, and its
    default reviewers and checklist are copied into the proof."""
    proof, version = template_proofs.create_from_template(principal, template_id, body, info)
    response.headers["Location"] = f"{PROOFS_PATH}/{proof.id}"
    response.headers["ETag"] = etag(version)
    return proof


@router.post(f"{TEMPLATE_PATH}/gallery", name="publish_template_to_gallery", permission="templates:publish_public",
             grants=WRITE, responses={**_TEMPLATE_NOT_FOUND, **_NO_LIBRARY_VERSION})
def publish_template_to_gallery(template_id: str, body: GalleryPublish, principal: CurrentPrincipal,
                                info: CurrentRequest) -> GalleryListingOut:
    """List the version (default: the library's) in the public gallery, or replace the listed one. Every tenant
    can then see its name, description, tags, fields and checklist (never its default reviewers)."""
    return gallery.publish(principal, template_id, body, info)


@router.delete(f"{TEMPLATE_PATH}/gallery", name="unpublish_template_from_gallery",
               permission="templates:publish_public", status_code=204, grants=WRITE,
               responses={404: {"description": "No such template in the caller's tenant, or it is not listed"}})
def unpublish_template_from_gallery(template_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Take the template out of the gallery (its ratings are kept should it be published again)."""
    gallery.unpublish(principal, template_id, info)


@router.get(GALLERY_PATH, name="list_gallery_templates", permission="templates:read",
            grants={*READ, Grant.CURSOR_KEY_READ})
def list_gallery_templates(principal: CurrentPrincipal, paging: Paging,
                           q: Annotated[str | None, Query(min_length=1, max_length=120,
                                                          description="A name prefix (any case)")] = None,
                           tag: Annotated[Tag | None, Query()] = None) -> GalleryListingList:
    """Templates every tenant published, by name; narrowed to a name prefix and/or a tag."""
    return gallery.list_listings(principal, q=q, tag=tag, limit=paging.limit, cursor=paging.cursor)


@router.get(LISTING_PATH, name="get_gallery_template", permission="templates:read", grants=READ,
            responses=_LISTING_NOT_FOUND)
def get_gallery_template(listing_id: str) -> GalleryListingOut:
    """A gallery template with its fields, checklist, average rating and import count."""
    return gallery.get_listing(listing_id)


@router.put(f"{LISTING_PATH}/rating", name="rate_gallery_template", permission="templates:rate", grants=WRITE,
            responses={**_LISTING_NOT_FOUND, 409: {"description": "The caller's tenant published it"}})
def rate_gallery_template(listing_id: str, body: RatingIn, principal: CurrentPrincipal,
                          info: CurrentRequest) -> GalleryListingOut:
    """The tenant's rating (1-5 stars). One per tenant: rating again replaces it."""
    return gallery.rate(principal, listing_id, body.stars, info)


@router.post(f"{LISTING_PATH}/import", name="import_gallery_template", permission="templates:import",
             status_code=201, idempotent=True, grants=WRITE,
             responses={201: {"headers": _LOCATION | _ETAG}, **_LISTING_NOT_FOUND})
def import_gallery_template(listing_id: str, principal: CurrentPrincipal, info: CurrentRequest,
                            response: Response) -> TemplateOut:
    """A new draft template of the caller's tenant, copied from the gallery template (without default
    reviewers)."""
    template, version = gallery.import_listing(principal, listing_id, info)
    response.headers["Location"] = f"{TEMPLATES_PATH}/{template.id}"
    response.headers["ETag"] = etag(version)
    return template
