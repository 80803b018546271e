"""Identity items. Users are global (one person may join several tenants); a membership
ties a user to a tenant with roles; a session holds the hashed refresh token."""

from pynamodb.attributes import ListAttribute, UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.models import GlobalEntity, TenantEntity


class TenantItem(TenantEntity, discriminator="Tenant"):
    name = UnicodeAttribute()
    status = UnicodeAttribute(default="active")


class UserItem(GlobalEntity, discriminator="User"):
    """``natural_key`` is the user id."""

    email = UnicodeAttribute()
    password_hash = UnicodeAttribute()


class UserEmailItem(GlobalEntity, discriminator="UserEmail"):
    """Email -> user, and the guard that keeps emails unique. ``natural_key`` is the email."""

    user_id = UnicodeAttribute()


class MembershipItem(TenantEntity, discriminator="Membership"):
    """``id`` is the user id: one membership per user and tenant."""

    roles = ListAttribute[str]()


class SessionItem(TenantEntity, discriminator="Session"):
    user_id = UnicodeAttribute()
    user_agent = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    last_used_at = UTCDateTimeAttribute(null=True)


class RefreshTokenItem(GlobalEntity, discriminator="RefreshToken"):
    """Refresh token hash -> session. ``natural_key`` is the SHA-256 of the token."""

    tenant_id = UnicodeAttribute()
    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
