"""Comment items. Each comment is an entity of its own (``T#<tenant>#ProofComment#<id>``), not a child in the
proof's partition: a busy thread then never grows the Query that reads a proof for a change
(``proof_store.load_for_change``), and a comment and its proof are read together in one BatchGetItem. A
proof's thread is a gsi1 collection (oldest first); the comments on one version are a gsi2 collection. A body is
free text: stored encrypted, and screened for personal data as it is written (docs/compliance.md)."""

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from atrium.compliance.api import free_text
from atrium.kernel.store import keys
from atrium.kernel.store.models import TenantEntity

COMMENT = "ProofComment"


class Region(MapAttribute[str, object]):
    """A rectangle of the version's image, in fractions of its width and height."""

    x = NumberAttribute()
    y = NumberAttribute()
    w = NumberAttribute()
    h = NumberAttribute()


class ProofCommentItem(TenantEntity, discriminator=COMMENT):
    """A deleted comment keeps its place in the thread (its replies still answer it): body and mentions are
    emptied, the author is kept."""

    proof_id = UnicodeAttribute()
    author_id = UnicodeAttribute()
    parent_id = UnicodeAttribute(null=True)
    version_number = NumberAttribute(null=True)
    region = Region(null=True)  # type: ignore[no-untyped-call]
    body = free_text(UnicodeAttribute(default=""))
    mentions = ListAttribute[str](default=list)
    edited_at = UTCDateTimeAttribute(null=True)
    deleted = BooleanAttribute(default=False)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = thread_pk(self.tenant_id, self.proof_id)
        if self.version_number is not None:
            self.gsi2pk = thread_pk(self.tenant_id, self.proof_id, int(self.version_number))
            self.gsi2sk = self.id


def thread_pk(tenant_id: str, proof_id: str, version: int | None = None) -> str:
    """The collection of a proof's comments, or of those on one of its versions."""
    bucket = proof_id if version is None else f"{proof_id}:v{version}"
    return keys.bucketed_collection_pk(tenant_id, COMMENT, bucket)
