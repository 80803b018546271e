"""Proof items. A proof is ``T#<tenant>#Proof#<id>``; its versions, decisions and list-index entries are
children in its partition, so one Query reads a proof with everything under it."""

from typing import Any, Self

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import DoesNotExist

from atrium.compliance.api import free_text
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item, TenantEntity
from atrium.kernel.store.protection import personal

PROOF = "Proof"
LISTING = "ProofsBy"  # the list indexes' collections: T#<tenant>#ProofsBy#<field>#<value>


class Reviewer(MapAttribute[str, object]):
    user_id = UnicodeAttribute()
    required = BooleanAttribute(default=True)  # the required reviewers' approvals approve the proof


class ProofItem(TenantEntity, discriminator=PROOF):
    """``approvals`` are the user ids who approved ``current_version``; a new version empties them."""

    title = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    due_date = UnicodeAttribute(null=True)  # YYYY-MM-DD
    tags = ListAttribute[str](default=list)
    owner_id = UnicodeAttribute()
    status = UnicodeAttribute(default="draft")
    reviewers = ListAttribute(of=Reviewer, default=list)
    approvals = ListAttribute[str](default=list)
    current_version = NumberAttribute(default=0)  # 0: nothing uploaded yet
    # The bytes of its versions' files, so its deletion says how much storage it frees (the storage_bytes meter).
    stored_bytes = NumberAttribute(default=0)
    template = JSONAttribute(null=True)  # {template_id, version, fields, checklist} when made from a template


class ProofChild(Item):
    """An item in a proof's partition: sk ``<Type>#<child_key>``."""

    tenant_id = UnicodeAttribute()
    proof_id = UnicodeAttribute()

    def child_key(self) -> str:
        raise NotImplementedError

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, PROOF, self.proof_id)
        self.sk = f"{self.type_name()}#{self.child_key()}"

    @classmethod
    def key_of(cls, tenant_id: str, proof_id: str, **identity: Any) -> tuple[str, str]:
        """The (pk, sk) of the child with these identifying attributes (``id``, ``number``)."""
        probe = cls(tenant_id=tenant_id, proof_id=proof_id, **identity)
        probe.assign_keys()
        return probe.pk, probe.sk

    @classmethod
    def find(cls, tenant_id: str, proof_id: str, **identity: Any) -> Self | None:
        """That child, strongly consistent, or None."""
        try:
            return cls.get(*cls.key_of(tenant_id, proof_id, **identity), consistent_read=True)
        except DoesNotExist:
            return None


def version_key(number: int) -> str:
    return f"{number:06d}"


class ProofVersionItem(ProofChild, discriminator="ProofVersion"):
    """One uploaded file, verified: its object key, size, SHA-256 (hex) and content type."""

    number = NumberAttribute()
    file_key = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    sha256 = UnicodeAttribute()
    uploaded_by = UnicodeAttribute()

    def child_key(self) -> str:
        return version_key(int(self.number))


class DecisionItem(ProofChild, discriminator="ProofDecision"):
    """A reviewer's decision on a version, with when and from where (the approval certificate lists them). The
    reviewer's address, note and IP are personal: stored encrypted, the note screened as free text."""

    id = UnicodeAttribute()  # dec_<ulid>: decisions in the order they were made
    version_number = NumberAttribute()
    reviewer_id = UnicodeAttribute()
    reviewer_email = personal(UnicodeAttribute())
    decision = UnicodeAttribute()  # approved | changes_requested | rejected
    note = free_text(UnicodeAttribute(default=""))
    ip = personal(UnicodeAttribute(null=True))

    def child_key(self) -> str:
        return self.id


class ProofCertificateItem(ProofChild, discriminator="ProofCertificate"):
    """The approval certificate of a version: the PDF's object key, SHA-256 (hex) and size, and the job that
    rendered it. Sorts between the proof and its decisions, so one Query from the proof reads both."""

    version_number = NumberAttribute()
    file_key = UnicodeAttribute()
    sha256 = UnicodeAttribute()
    size = NumberAttribute()
    job_id = UnicodeAttribute()

    def child_key(self) -> str:
        return version_key(int(self.version_number))


class ProofIndexItem(ProofChild, discriminator="ProofIndex"):
    """One entry of a list index (all, status, owner, reviewer, tag) on gsi2, carrying the proof as the list
    shows it, so a filtered page is one Query. Sorted by due date (none last), then id."""

    field = UnicodeAttribute()  # all | status | owner | reviewer | tag
    value = UnicodeAttribute()
    due_date = UnicodeAttribute(null=True)
    summary = JSONAttribute()  # the proof's API representation when the entry was written

    def child_key(self) -> str:
        return f"{self.field}#{self.value}"

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi2pk = keys.bucketed_collection_pk(self.tenant_id, LISTING, f"{self.field}:{self.value}")
        self.gsi2sk = index_sort_key(self.due_date, self.proof_id)


NO_DUE_DATE = "~"  # sorts after every date


def index_sort_key(due_date: str | None, proof_id: str) -> str:
    return f"{due_date or NO_DUE_DATE}#{proof_id}"


class ProofUploadItem(ProofChild, discriminator="ProofUpload"):
    """A file the client was given a presigned POST for, not yet recorded as a version: what it declared, where
    it goes. Recording the version deletes it; otherwise the table's TTL does (``expires_at``)."""

    id = UnicodeAttribute()  # upl_<ulid>
    file_key = UnicodeAttribute()
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    requested_by = UnicodeAttribute()

    def child_key(self) -> str:
        return self.id
