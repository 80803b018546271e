"""Marketplace routes: the developer realm's (listings, uploads, versions submitted), the operators' (reviews and
marks) and the tenants' (search, featured, a listing, a version's download, installing it, ratings)."""

from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import Path, Query, Response

from atrium.billing.api import Feature, FeatureGate
from atrium.identity.api import DEVELOPER_PERMISSION, MARKETPLACE_REVIEW
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter, Realm
from atrium.kernel.lazy import lazy_modules
from atrium.plugins.events import MANAGE_PERMISSION, READ_PERMISSION
from atrium.plugins.marketplace.schemas import (
    Download,
    ListingCreate,
    ListingDetail,
    ListingMarks,
    ListingOut,
    ListingPage,
    RatingIn,
    RatingOut,
    RatingPage,
    ReviewDecision,
    VersionOut,
    VersionPage,
    VersionSubmit,
)
from atrium.plugins.schemas import ListingInstall, PluginOut, SdkOut, UploadCreate, UploadOut

if TYPE_CHECKING:
    from atrium.plugins import catalog, sdk
    from atrium.plugins.marketplace import browse, installs, presenters, ratings, review, store, submissions
else:
    catalog, sdk = lazy_modules("atrium.plugins", "catalog", "sdk")
    browse, installs, presenters, ratings, review, store, submissions = lazy_modules(
        "atrium.plugins.marketplace", "browse", "installs", "presenters", "ratings", "review", "store", "submissions")

router = ContextRouter("marketplace")
MINE = "/v1/developer/plugins"
MY_LISTING = f"{MINE}/{{listing_id}}"
REVIEWS = "/v1/operator/plugin-reviews"
REVIEWED = f"{REVIEWS}/{{listing_id}}/{{version}}"
MARKET = "/v1/marketplace/plugins"
LISTING = f"{MARKET}/{{listing_id}}"
Version = Annotated[str, Path(max_length=32, description="e.g. `1.2.0`")]
PluginType = Literal["processor", "connector", "analyzer", "utility"]
_NOT_FOUND = {404: {"description": "No such plugin (or not the caller's)"}}
_DEVELOPER = {"permission": DEVELOPER_PERMISSION, "realm": Realm.DEVELOPER}
_OPERATOR = {"permission": MARKETPLACE_REVIEW, "realm": Realm.OPERATOR}


@router.post(MINE, name="create_listing", status_code=201, grants=WRITE, **_DEVELOPER)
def create_listing(body: ListingCreate, principal: CurrentPrincipal, info: CurrentRequest) -> ListingOut:
    """A listing of the caller's: it is listed once a version of it is approved."""
    return presenters.listing_out(submissions.create_listing(principal, body, info))


@router.get(MINE, name="list_my_listings", grants=READ, **_DEVELOPER)
def list_my_listings(principal: CurrentPrincipal) -> ListingPage:
    """The caller's listings: installs, ratings, marks, the latest approved version."""
    return ListingPage(data=[presenters.listing_out(item) for item in submissions.own_listings(principal)],
                       next_cursor=None)


@router.get(MY_LISTING, name="get_my_listing", grants=READ, responses=_NOT_FOUND, **_DEVELOPER)
def get_my_listing(listing_id: str, principal: CurrentPrincipal) -> ListingDetail:
    """One of the caller's listings with every version submitted: its scan, its review."""
    listing = submissions.own_listing(principal, listing_id)
    return presenters.listing_detail(listing, store.versions(listing.id, approved_only=False), reviewed=True)


@router.post(f"{MY_LISTING}/uploads", name="request_version_upload", status_code=201,
             grants={*WRITE, Grant.FILES_WRITE}, responses=_NOT_FOUND, **_DEVELOPER)
def request_version_upload(listing_id: str, body: UploadCreate, principal: CurrentPrincipal,
                           info: CurrentRequest) -> UploadOut:
    """A presigned POST for a version's module of exactly `size` bytes, to submit within a day."""
    return submissions.request_upload(principal, listing_id, body, info)


@router.post(f"{MY_LISTING}/versions", name="submit_version", status_code=202, grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "That version was submitted already"}}, **_DEVELOPER)
def submit_version(listing_id: str, body: VersionSubmit, principal: CurrentPrincipal,
                   info: CurrentRequest) -> VersionOut:
    """Submit the uploaded module as a version: a job scans it, then it waits for an operator's review."""
    return presenters.version_out(submissions.submit(principal, listing_id, body, info))


@router.get("/v1/developer/sdk", name="get_developer_sdk", grants=frozenset(), **_DEVELOPER)
def get_developer_sdk() -> SdkOut:
    """The plugin SDK for AssemblyScript: the guest library and the example plugin, as source."""
    return sdk.sdk("assemblyscript")


@router.get(REVIEWS, name="list_plugin_reviews", grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ}, **_OPERATOR)
def list_plugin_reviews(paging: Paging) -> VersionPage:
    """Versions waiting for review, oldest first."""
    return review.waiting(limit=paging.limit, cursor=paging.cursor)


@router.post(f"{REVIEWED}/approve", name="approve_plugin_version", grants=WRITE, **_OPERATOR,
             responses={404: {"description": "No such version"}, 409: {"description": "Not waiting for review"}})
def approve_plugin_version(listing_id: str, version: Version, body: ReviewDecision, principal: CurrentPrincipal,
                           info: CurrentRequest) -> VersionOut:
    """Approve a version: it is listed, and becomes the listing's latest if it is the newest."""
    return presenters.version_out(review.decide(principal, listing_id, version, approve=True, notes=body.notes,
                                                info=info))


@router.post(f"{REVIEWED}/reject", name="reject_plugin_version", grants=WRITE, **_OPERATOR,
             responses={404: {"description": "No such version"}, 409: {"description": "Not waiting for review"}})
def reject_plugin_version(listing_id: str, version: Version, body: ReviewDecision, principal: CurrentPrincipal,
                          info: CurrentRequest) -> VersionOut:
    """Reject a version, with notes its developer reads."""
    return presenters.version_out(review.decide(principal, listing_id, version, approve=False, notes=body.notes,
                                                info=info))


@router.put("/v1/operator/marketplace/{listing_id}/marks", name="mark_listing", grants=WRITE,
            responses={404: {"description": "No such listing"}}, **_OPERATOR)
def mark_listing(listing_id: str, body: ListingMarks, principal: CurrentPrincipal,
                 info: CurrentRequest) -> ListingOut:
    """Mark a listing `verified` (its publisher checked), `trusted` (vouched for) and `featured`."""
    return presenters.listing_out(review.mark(principal, listing_id, body, info))


def _search(featured: bool, paging: Paging, q: str, type_: PluginType | None, permission: str | None) -> ListingPage:
    return browse.search(q=q, type_=type_, permission=permission, featured=featured, limit=paging.limit,
                         cursor=paging.cursor)


Q = Annotated[str, Query(max_length=100, description="Words of the name or description")]
TypeFilter = Annotated[PluginType | None, Query(alias="type", description="Only this type")]
PermissionFilter = Annotated[str | None, Query(max_length=20, description="Only plugins asking for it")]


@router.get(MARKET, name="search_marketplace", permission=READ_PERMISSION,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def search_marketplace(paging: Paging, q: Q = "", type_: TypeFilter = None,
                       permission: PermissionFilter = None) -> ListingPage:
    """Listed plugins in name order, by words, type and permission (a page may hold fewer than `limit`: follow
    `next_cursor`)."""
    return _search(False, paging, q, type_, permission)


@router.get(f"{MARKET}/featured", name="featured_plugins", permission=READ_PERMISSION,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def featured_plugins(paging: Paging, q: Q = "", type_: TypeFilter = None,
                     permission: PermissionFilter = None) -> ListingPage:
    """The plugins the operators feature."""
    return _search(True, paging, q, type_, permission)


@router.get(LISTING, name="get_listing", permission=READ_PERMISSION, grants=READ, responses=_NOT_FOUND)
def get_listing(listing_id: str) -> ListingDetail:
    """A listed plugin with its approved versions."""
    return browse.detail(listing_id)


@router.get(f"{LISTING}/versions/{{version}}/download", name="download_version", permission=READ_PERMISSION,
            grants={*READ, Grant.FILES_READ}, responses=_NOT_FOUND)
def download_version(listing_id: str, version: Version) -> Download:
    """A presigned download of an approved version's module, with its SHA-256."""
    return browse.download(listing_id, version)


@router.post(f"{LISTING}/install", name="install_listing", permission=MANAGE_PERMISSION, status_code=202,
             idempotent=True, feature=FeatureGate(Feature.PLUGINS), grants=WRITE,
             responses={**_NOT_FOUND, 429: {"description": "More than 10 plugin operations in 15 minutes"}})
def install_listing(listing_id: str, body: ListingInstall, principal: CurrentPrincipal, info: CurrentRequest,
                    response: Response) -> PluginOut:
    """Install a listed plugin's version (the latest by default), granting the permissions it asks for. Its
    install job checks it as for a private bundle."""
    plugin = installs.install_listed(principal, listing_id, body.version, info)
    response.headers["Location"] = f"/v1/plugins/{plugin.id}"
    return catalog.plugin_out(plugin)


@router.put(f"{LISTING}/rating", name="rate_listing", permission=MANAGE_PERMISSION, grants=WRITE,
            responses={**_NOT_FOUND, 409: {"description": "The tenant did not install it from the marketplace"}})
def rate_listing(listing_id: str, body: RatingIn, principal: CurrentPrincipal, info: CurrentRequest) -> RatingOut:
    """Rate a plugin the tenant installed from the marketplace, 1 to 5 stars with a written review (the tenant's
    one rating: a new one replaces it)."""
    return ratings.rate(principal, listing_id, body, info)


@router.get(f"{LISTING}/ratings", name="list_ratings", permission=READ_PERMISSION,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ}, responses=_NOT_FOUND)
def list_ratings(listing_id: str, paging: Paging) -> RatingPage:
    """A listed plugin's ratings and reviews, newest first, naming no tenant."""
    return ratings.ratings(listing_id, limit=paging.limit, cursor=paging.cursor)
