"""The public template gallery: global items (no tenant in the key), reached only through ``gallery``.

A listing is ``G#GalleryListing#<gal_id>``, on gsi1 ``G#GalleryListing`` sorted by lowercased name then id, so
a name-prefix search is one Query. Its partition also holds one entry per tag (``GalleryTag#<tag>``, on gsi1
``G#GalleryTag#<tag>``, carrying the listing as the gallery shows it) and one rating per tenant
(``Rating#<tenant>``). The tag entries sort right after the listing and before the ratings, so a change reads
the listing with its entries in one Query, however many tenants rated it.

An unlisted listing keeps its ratings and leaves both indexes (its gsi1 keys are cleared, its entries deleted).
"""

from pynamodb.attributes import BooleanAttribute, JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from atrium.apps.proofs.templates.models import name_sort_key
from atrium.kernel.store import keys
from atrium.kernel.store.models import GlobalEntity, Item

LISTING = "GalleryListing"
TAG = "GalleryTag"
RATING_SK_PREFIX = "Rating#"


class GalleryListingItem(GlobalEntity, discriminator=LISTING):
    """A published template version's snapshot (without default reviewers: they are the publisher's users).
    Its natural key is its id (``gal_…``)."""

    publisher_tenant_id = UnicodeAttribute()
    publisher_name = UnicodeAttribute(null=True)
    template_id = UnicodeAttribute()  # the publisher's template; never shown to other tenants
    template_version = NumberAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    tags = ListAttribute[str](default=list)
    body = JSONAttribute()  # {fields, checklist}
    rating_sum = NumberAttribute(default=0)
    rating_count = NumberAttribute(default=0)
    import_count = NumberAttribute(default=0)
    listed = BooleanAttribute(default=True)

    @property
    def listing_id(self) -> str:
        return str(self.natural_key)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.global_collection_pk(LISTING) if self.listed else None
        self.gsi1sk = name_sort_key(self.name, self.listing_id) if self.listed else None


class GalleryTagItem(Item, discriminator=TAG):
    """A listing as the gallery shows it, under one of its tags."""

    listing_id = UnicodeAttribute()
    tag = UnicodeAttribute()
    name = UnicodeAttribute()
    summary = JSONAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.global_pk(LISTING, self.listing_id)
        self.sk = f"{TAG}#{self.tag}"
        self.gsi1pk = keys.global_collection_pk(TAG, self.tag)
        self.gsi1sk = name_sort_key(self.name, self.listing_id)


class GalleryRatingItem(Item, discriminator="GalleryRating"):
    """One tenant's rating of a listing; rating again replaces it."""

    listing_id = UnicodeAttribute()
    rater_tenant_id = UnicodeAttribute()
    stars = NumberAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.global_pk(LISTING, self.listing_id)
        self.sk = f"{RATING_SK_PREFIX}{self.rater_tenant_id}"
