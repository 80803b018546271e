"""Template items. A template is ``T#<tenant>#Template#<id>``; its versions are immutable snapshots in its
partition (``TemplateVersion#000001``), so one Query reads a template with its versions. Templates published to
the tenant's library are also on a sparse gsi2 collection sorted by name, so the library is one Query."""

from typing import Any, TypedDict

from pynamodb.attributes import BooleanAttribute, JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute

from atrium.apps.proofs.proofs.models import version_key
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity

TEMPLATE = "Template"
LIBRARY = "TemplateLibrary"  # gsi2 collection of the templates with a published version
VERSION = "TemplateVersion"


class TemplateSnapshot(TypedDict):
    """A version as proofs, the library and the gallery copy it."""

    version: int
    name: str
    description: str
    tags: list[str]
    body: dict[str, Any]  # {fields, default_reviewers, checklist}


def name_sort_key(name: str, item_id: str) -> str:
    """Case-insensitive name order, then id: a name prefix is a key condition."""
    return f"{name.lower()}#{item_id}"


class TemplateItem(TenantEntity, discriminator=TEMPLATE):
    """``body`` is the draft: {fields, default_reviewers, checklist}. ``published`` is the snapshot of the version
    in the tenant's library, kept here so a proof made from the library reads one item."""

    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    tags = ListAttribute[str](default=list)
    body = JSONAttribute()
    latest_version = NumberAttribute(default=0)  # 0: no version made yet
    published_version = NumberAttribute(null=True)
    published = JSONAttribute(null=True)  # the published version's snapshot (see TemplateVersionItem.snapshot)
    gallery_listing_id = UnicodeAttribute(null=True)  # the public listing, kept when unlisted (its ratings stay)
    in_gallery = BooleanAttribute(default=False)
    imported_from = UnicodeAttribute(null=True)  # the gallery listing it was copied from

    def assign_keys(self) -> None:
        super().assign_keys()
        listed = self.published_version is not None
        self.gsi2pk = keys.collection_pk(self.tenant_id, LIBRARY) if listed else None
        self.gsi2sk = name_sort_key(self.name, self.id) if listed else None


class TemplateVersionItem(Item, discriminator=VERSION):
    """An immutable snapshot of a template's name, description, tags and body."""

    tenant_id = UnicodeAttribute()
    template_id = UnicodeAttribute()
    number = NumberAttribute()
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    tags = ListAttribute[str](default=list)
    body = JSONAttribute()
    created_by = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, TEMPLATE, self.template_id)
        self.sk = f"{VERSION}#{version_key(int(self.number))}"

    def snapshot(self) -> TemplateSnapshot:
        return TemplateSnapshot(version=int(self.number), name=self.name, description=self.description,
                                tags=list(self.tags), body=self.body)
