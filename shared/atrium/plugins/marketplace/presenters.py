"""Listings and versions as the API shows them."""

import json

from atrium.kernel import clock
from atrium.plugins.marketplace.models import ListingItem, ListingVersionItem
from atrium.plugins.marketplace.schemas import ListingDetail, ListingOut, VersionOut
from atrium.plugins.schemas import PluginManifest


def manifest_of(version: ListingVersionItem) -> PluginManifest:
    return PluginManifest.model_validate(json.loads(version.manifest_json))


def listing_out(listing: ListingItem) -> ListingOut:
    count = int(listing.rating_count)
    return ListingOut(id=listing.id, name=listing.name, type=listing.type, description=listing.description,
                      developer=listing.developer_name, verified=listing.verified, trusted=listing.trusted,
                      featured=listing.featured, latest_version=listing.latest_version,
                      permissions=listing.permissions, installs=int(listing.installs),
                      active_installs=int(listing.active_installs), errors=int(listing.errors),
                      rating=round(float(listing.rating_sum) / count, 2) if count else None, ratings=count)


def version_out(version: ListingVersionItem, *, reviewed: bool = True) -> VersionOut:
    """``reviewed``: with the scan's findings and the review's notes (to its developer and the operators)."""
    manifest = manifest_of(version)
    return VersionOut(listing_id=version.listing_id, version=version.number, status=version.status,
                      permissions=list(manifest.permissions), hooks=list(manifest.hooks), sha256=version.sha256,
                      size=int(version.size), findings=version.findings if reviewed else [],
                      review_notes=version.review_notes if reviewed else "", submitted_at=clock.iso(version.created_at))


def listing_detail(listing: ListingItem, versions: list[ListingVersionItem], *, reviewed: bool) -> ListingDetail:
    return ListingDetail(**listing_out(listing).model_dump(),
                         versions=[version_out(v, reviewed=reviewed) for v in versions])
