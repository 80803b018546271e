"""API token items.

A token is a tenant item (what the tenant lists and manages); each of its secrets is a global item keyed
by the SHA-256 of the secret, carrying what the authorizer needs (tenant, token, scopes, validity), so a
presented secret and its tenant are read in one BatchGetItem. At most two secrets are live per token: the
current one and, for the rotation grace period, the one it replaced.
"""

from datetime import datetime

from pynamodb.attributes import ListAttribute, MapAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import GlobalEntity, TenantEntity
from atrium.kernel.store.protection import credential


class SecretRef(MapAttribute[str, object]):
    """A secret the token holds; ``valid_until`` is set when a rotation starts its grace period."""

    hash = UnicodeAttribute()
    valid_until = UTCDateTimeAttribute(null=True)


class ApiTokenItem(TenantEntity, discriminator="ApiToken"):
    name = UnicodeAttribute()
    prefix = UnicodeAttribute()  # token_secrets.display_prefix of the current secret
    scopes = ListAttribute[str](default=list)
    created_by = UnicodeAttribute()
    valid_until = UTCDateTimeAttribute(null=True)  # the token's own expiry (the API's expires_at)
    last_used_at = UTCDateTimeAttribute(null=True)  # written at most every few minutes (access.token_auth)
    secrets = credential(ListAttribute(of=SecretRef, default=list))


class ApiTokenSecretItem(GlobalEntity, discriminator="ApiTokenSecret"):
    """``natural_key`` is the secret's SHA-256; ``valid_until`` is the earlier of the token's expiry and,
    for a replaced secret, the end of its grace period."""

    tenant_id = UnicodeAttribute()
    token_id = UnicodeAttribute()
    scopes = ListAttribute[str](default=list)
    valid_until = UTCDateTimeAttribute(null=True)
    # The token's creator, whose current permissions bound the token's (null on secrets minted before it was kept).
    created_by = UnicodeAttribute(null=True)

    def valid_at(self, at: datetime) -> bool:
        return self.valid_until is None or at < self.valid_until
