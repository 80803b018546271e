"""Invitation items. Memberships themselves are identity's ``MembershipItem``."""

from datetime import datetime

from pynamodb.attributes import ListAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.identity.models import RoleGrant
from atrium.kernel.store.models import GlobalEntity, TenantEntity
from atrium.kernel.store.protection import credential, personal

# The uniqueness guard (per tenant) that allows one open invitation per email: its value is the address's blind
# index in the tenant (``identity.models.email_index``).
EMAIL_GUARD = "invitation_email"


class InvitationItem(TenantEntity, discriminator="Invitation"):
    """An open invitation: deleted when accepted or revoked; past ``valid_until`` it can only be revoked.

    The item's TTL (``expires_at``), its token's and its email guard's are the same, some time after
    ``valid_until``, so the table drops all three together.
    """

    email = personal(UnicodeAttribute())
    grants = ListAttribute(of=RoleGrant, default=list)
    invited_by = UnicodeAttribute()
    valid_until = UTCDateTimeAttribute()
    # Only the latest emailed token is good: its hash is kept here.
    token_hash = credential(UnicodeAttribute(null=True))

    def expired(self, at: datetime) -> bool:
        return at >= self.valid_until


class InvitationTokenItem(GlobalEntity, discriminator="InvitationToken"):
    """Token hash -> invitation, so an accept request (which has no tenant yet) finds it in one read."""

    tenant_id = UnicodeAttribute()
    invitation_id = UnicodeAttribute()
    email = personal(UnicodeAttribute())  # so the accept request reads the invitation and the account in one batch
