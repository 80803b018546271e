"""Gallery routes: a tenant's templates published to the public gallery, searched, rated and imported."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Query, Response

from atrium.apps.proofs.proofs.schemas import Tag
from atrium.apps.proofs.routing import NO_LIBRARY_VERSION, TEMPLATE_NOT_FOUND, TEMPLATE_PATH, TEMPLATES_PATH
from atrium.apps.proofs.templates.schemas import (
    GalleryListingList,
    GalleryListingOut,
    GalleryPublish,
    RatingIn,
    TemplateOut,
)
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, LOCATION_HEADER, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.apps.proofs.gallery import service as gallery
else:
    (gallery,) = lazy_modules("atrium.apps.proofs.gallery", "service")

router = ContextRouter("proofs")
GALLERY_PATH = "/v1/gallery/templates"
LISTING_PATH = "/v1/gallery/templates/{listing_id}"
LISTING_NOT_FOUND = {404: {"description": "No such gallery template, or it was unpublished"}}


@router.post(f"{TEMPLATE_PATH}/gallery", name="publish_template_to_gallery", permission="templates:publish_public",
             grants=WRITE, responses={**TEMPLATE_NOT_FOUND, **NO_LIBRARY_VERSION})
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
            responses=LISTING_NOT_FOUND)
def get_gallery_template(listing_id: str) -> GalleryListingOut:
    """A gallery template with its fields, checklist, average rating and import count."""
    return gallery.get_listing(listing_id)


@router.put(f"{LISTING_PATH}/rating", name="rate_gallery_template", permission="templates:rate", grants=WRITE,
            responses={**LISTING_NOT_FOUND, 409: {"description": "The caller's tenant published it"}})
def rate_gallery_template(listing_id: str, body: RatingIn, principal: CurrentPrincipal,
                          info: CurrentRequest) -> GalleryListingOut:
    """The tenant's rating (1-5 stars). One per tenant: rating again replaces it."""
    return gallery.rate(principal, listing_id, body.stars, info)


@router.post(f"{LISTING_PATH}/import", name="import_gallery_template", permission="templates:import",
             status_code=201, idempotent=True, grants=WRITE,
             responses={201: {"headers": LOCATION_HEADER | ETAG_HEADER}, **LISTING_NOT_FOUND})
def import_gallery_template(listing_id: str, principal: CurrentPrincipal, info: CurrentRequest,
                            response: Response) -> TemplateOut:
    """A new draft template of the caller's tenant, copied from the gallery template (without default
    reviewers)."""
    template, version = gallery.import_listing(principal, listing_id, info)
    response.headers["Location"] = f"{TEMPLATES_PATH}/{template.id}"
    response.headers["ETag"] = etag(version)
    return template
