"""Listings and their versions: global (the marketplace belongs to no tenant). A listing is its developer's; its
versions are submitted, scanned, then reviewed. Listings form one collection by name (gsi1, for search) and the
featured ones another (gsi2); a listing's versions one collection (gsi1); versions waiting for review one (gsi2)."""

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from atrium.kernel.store import keys
from atrium.kernel.store.models import GlobalEntity

LISTINGS, FEATURED, VERSIONS, REVIEWS = "PluginListings", "FeaturedPluginListings", "PluginVersions", "PluginReviews"
SCANNING, PENDING_REVIEW, APPROVED, REJECTED = "scanning", "pending_review", "approved", "rejected"


class ListingItem(GlobalEntity, discriminator="PluginListing"):
    """``natural_key``: its id (``lst_...``). Its counters move in place (``counted``), never by a whole save."""

    developer_id = UnicodeAttribute()
    developer_name = UnicodeAttribute()
    name = UnicodeAttribute()
    type = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    verified = BooleanAttribute(default=False)  # the operators checked who publishes it
    trusted = BooleanAttribute(default=False)  # the operators vouch for it
    featured = BooleanAttribute(default=False)
    latest_version = UnicodeAttribute(null=True)  # the newest approved
    permissions = ListAttribute[str](default=list)  # the latest approved version's
    installs = NumberAttribute(default=0)  # ever
    active_installs = NumberAttribute(default=0)  # installed now
    errors = NumberAttribute(default=0)  # failed invocations, in every tenant
    rating_count = NumberAttribute(default=0)
    rating_sum = NumberAttribute(default=0)

    @property
    def id(self) -> str:
        return self.natural_key

    @classmethod
    def counted(cls, listing_id: str) -> "ListingItem":
        """The listing as a target of counter updates (``UnitOfWork.update``), unread."""
        return cls(natural_key=listing_id, developer_id="", developer_name="", name="", type="")

    def assign_keys(self) -> None:
        super().assign_keys()
        order = f"{self.name.lower()}#{self.natural_key}"
        self.gsi1pk, self.gsi1sk = keys.global_collection_pk(LISTINGS), order
        self.gsi2pk, self.gsi2sk = (keys.global_collection_pk(FEATURED), order) if self.featured else (None, None)


def version_key(listing_id: str, version: str) -> str:
    return f"{listing_id}#{version}"


def version_order(version: str) -> str:
    """Sortable: ``1.10.0`` after ``1.9.0``."""
    return ".".join(part.zfill(6) for part in version.split("."))


class ListingVersionItem(GlobalEntity, discriminator="PluginListingVersion"):
    """``natural_key``: ``<listing id>#<version>``. Its manifest (JSON), its module under the platform's files, its
    scan's findings and its review."""

    listing_id = UnicodeAttribute()
    number = UnicodeAttribute()  # the manifest's version (``version`` is the item's own)
    manifest_json = UnicodeAttribute()
    upload_key = UnicodeAttribute()
    module_key = UnicodeAttribute(null=True)
    sha256 = UnicodeAttribute()
    size = NumberAttribute()
    status = UnicodeAttribute(default=SCANNING)
    findings = ListAttribute[str](default=list)
    review_notes = UnicodeAttribute(default="")
    reviewed_by = UnicodeAttribute(null=True)
    job_id = UnicodeAttribute()

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.global_collection_pk(VERSIONS, self.listing_id)
        self.gsi1sk = version_order(self.number)
        waiting = self.status == PENDING_REVIEW
        self.gsi2pk = keys.global_collection_pk(REVIEWS) if waiting else None
        self.gsi2sk = f"{self.created_at.isoformat()}#{self.natural_key}" if waiting and self.created_at else None


class RatingItem(GlobalEntity, discriminator="PluginRating"):
    """A tenant's rating of a listing, with its written review: ``natural_key`` ``<listing id>#<tenant id>`` (one
    per tenant, replaced by a new one); a listing's ratings form a collection (gsi1), newest first."""

    listing_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    stars = NumberAttribute()
    text = UnicodeAttribute(default="")
    rated_by = UnicodeAttribute()

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.global_collection_pk("PluginRatings", self.listing_id)
        self.gsi1sk = f"{self.updated_at.isoformat()}#{self.tenant_id}"
