"""Audit state per tenant: the head of its chain, its retention setting, and the keys its entries' personal fields
are sealed under (one per person, ``subject_keys.py``).

Entries themselves are ``atrium.kernel.store.audit.AuditItem``: the kernel writes them in every
unit of work; this context chains, verifies, lists and exports them.
"""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.errors import NotFound
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.protection import secret

# The hash the first entry links to.
GENESIS = "0" * 64
HEAD_ID = "head"
# The longest retention a tenant can choose; checkpoints and lists reach a little beyond it.
MAX_RETENTION_DAYS = 3650
SETTINGS_ID = "settings"


class ChainHead(TenantEntity, discriminator="AuditHead"):
    """The last chained entry (``seq``, ``hash``) and the last checkpoint written of it."""

    seq = NumberAttribute(default=0)
    hash = UnicodeAttribute(default=GENESIS)
    last_occurred_at = UTCDateTimeAttribute(null=True)
    # When the chain's first entry happened: lists need not look further back.
    first_occurred_at = UTCDateTimeAttribute(null=True)
    checkpointed_seq = NumberAttribute(default=0)
    checkpointed_at = UTCDateTimeAttribute(null=True)

    @classmethod
    def find_head(cls, tenant_id: str) -> "ChainHead":
        """The tenant's head, or a new one (sequence 0) before its first entry is chained."""
        try:
            return cls.load(tenant_id, HEAD_ID, consistent=True)
        except NotFound:
            return cls(tenant_id=tenant_id, id=HEAD_ID)


class AuditSettings(TenantEntity, discriminator="AuditSettings"):
    retention_days = NumberAttribute()


class SubjectKeyItem(TenantEntity, discriminator="AuditSubjectKey"):
    """The key sealing what the tenant's entries say about one person (``id``: the user's, the customer's...
    id): AES-256, base64, itself sealed under the tenant's data key. Erasing the person destroys it (``key``
    gone, ``erased_at`` set): their entries stay chained while their personal fields no longer open."""

    key = secret(UnicodeAttribute(null=True))
    erased_at = UTCDateTimeAttribute(null=True)
