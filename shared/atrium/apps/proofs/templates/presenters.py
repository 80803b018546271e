"""Template and gallery items as the API shows them (and as events carry them)."""

from typing import Any

from atrium.apps.proofs.events import GalleryListingChanged, TemplateChanged
from atrium.apps.proofs.gallery.models import GalleryListingItem
from atrium.apps.proofs.templates.models import TemplateItem, TemplateVersionItem
from atrium.apps.proofs.templates.schemas import (
    GalleryListingOut,
    ReviewerDefault,
    TemplateFieldOut,
    TemplateOut,
    TemplateVersionOut,
)
from atrium.kernel import clock


def _fields(body: dict[str, Any]) -> list[TemplateFieldOut]:
    return [TemplateFieldOut.model_validate(f) for f in body.get("fields", [])]


def _reviewers(body: dict[str, Any]) -> list[ReviewerDefault]:
    return [ReviewerDefault.model_validate(r) for r in body.get("default_reviewers", [])]


def template_out(template: TemplateItem) -> TemplateOut:
    published = template.published_version
    return TemplateOut(
        id=template.id, name=template.name, description=template.description, tags=list(template.tags),
        fields=_fields(template.body), default_reviewers=_reviewers(template.body),
        checklist=list(template.body.get("checklist", [])), latest_version=int(template.latest_version) or None,
        published_version=None if published is None else int(published),
        gallery_listing_id=template.gallery_listing_id if template.in_gallery else None,
        imported_from=template.imported_from, created_at=clock.iso(template.created_at),
        updated_at=clock.iso(template.updated_at))


def template_changed(template: TemplateItem) -> TemplateChanged:
    out = template_out(template)
    return TemplateChanged(template_id=out.id, name=out.name, latest_version=out.latest_version,
                           published_version=out.published_version)


def version_out(version: TemplateVersionItem) -> TemplateVersionOut:
    return TemplateVersionOut(
        template_id=version.template_id, version=int(version.number), name=version.name,
        description=version.description, tags=list(version.tags), fields=_fields(version.body),
        default_reviewers=_reviewers(version.body), checklist=list(version.body.get("checklist", [])),
        created_by=version.created_by, created_at=clock.iso(version.created_at))


def listing_out(listing: GalleryListingItem) -> GalleryListingOut:
    count = int(listing.rating_count)
    return GalleryListingOut(
        id=listing.listing_id, name=listing.name, description=listing.description, tags=list(listing.tags),
        fields=_fields(listing.body), checklist=list(listing.body.get("checklist", [])),
        template_version=int(listing.template_version), publisher_tenant_id=listing.publisher_tenant_id,
        publisher_name=listing.publisher_name,
        rating_average=round(int(listing.rating_sum) / count, 2) if count else None, rating_count=count,
        import_count=int(listing.import_count), published_at=clock.iso(listing.created_at),
        updated_at=clock.iso(listing.updated_at))


def listing_changed(listing: GalleryListingItem) -> GalleryListingChanged:
    return GalleryListingChanged(
        listing_id=listing.listing_id, name=listing.name, template_version=int(listing.template_version),
        publisher_tenant_id=listing.publisher_tenant_id, rating_count=int(listing.rating_count),
        rating_sum=int(listing.rating_sum), import_count=int(listing.import_count))
