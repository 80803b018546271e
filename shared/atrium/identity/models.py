"""Identity items.

Users are global (one person may join several tenants); a membership ties a user to a tenant
with role grants; a session is one signed-in device and the family of its refresh tokens.
Secrets (refresh tokens, one-time tokens, MFA challenges) are stored only as SHA-256 hashes,
in global items keyed by that hash so a presented secret is found in one read.

Email addresses are personal: stored encrypted (the platform's key on global items, the tenant's on its own), and
found by their blind index (``email_index``), never spelled out in a key.
"""

from datetime import datetime
from typing import Any, Self

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from atrium.kernel.store import keys
from atrium.kernel.store.blind_index import blind_index
from atrium.kernel.store.models import GlobalEntity, TenantEntity
from atrium.kernel.store.protection import personal
from atrium.kernel.tenancy import DELETION_REQUESTED

EMAIL = "email"


def email_index(email: str, *, tenant_id: str | None = None) -> str:
    """The blind index of an address: the platform's (global items), or ``tenant_id``'s (in its scope)."""
    return blind_index(EMAIL, email, tenant_id=tenant_id)


ACTIVE = "active"
SUSPENDED = "suspended"
DEACTIVATED = "deactivated"


class TenantItem(TenantEntity, discriminator="Tenant"):
    name = UnicodeAttribute()
    status = UnicodeAttribute(default=ACTIVE)  # active | suspended (by an operator, or for its deletion)
    suspension_reason = UnicodeAttribute(null=True)

    @property
    def held_for_deletion(self) -> bool:
        """Suspended because its owner asked for its deletion: its owners still get in, narrowly (``access_state``)."""
        return self.status == SUSPENDED and self.suspension_reason == DELETION_REQUESTED


class UserItem(GlobalEntity, discriminator="User"):
    """``natural_key`` is the user id."""

    email = personal(UnicodeAttribute())
    password_hash = UnicodeAttribute()
    tenant_ids = ListAttribute[str](default=list)  # memberships, for login's choice of tenant
    email_verified = BooleanAttribute(default=False)
    # Sessions (in every tenant) that began before this are dead: set when the password changes.
    sessions_valid_after = UTCDateTimeAttribute(null=True)
    mfa_enabled = BooleanAttribute(default=False)
    # Sealed (account/totp_secrets.py; plain base32 if stored before sealing); pending until a code confirms it.
    totp_secret = UnicodeAttribute(null=True)
    totp_last_step = NumberAttribute(null=True)  # a TOTP code is accepted once
    recovery_code_hashes = ListAttribute[str](default=list)

    @property
    def id(self) -> str:
        return self.natural_key

    def session_alive(self, started_at: datetime) -> bool:
        return self.sessions_valid_after is None or started_at >= self.sessions_valid_after


class UserEmailItem(GlobalEntity, discriminator="UserEmail"):
    """Email -> user, and the guard that keeps emails unique. ``natural_key`` is the email's blind index."""

    user_id = UnicodeAttribute()

    @classmethod
    def of(cls, email: str, **attributes: Any) -> Self:
        """The pointer of ``email`` (unsaved)."""
        return cls(natural_key=email_index(email), **attributes)

    @classmethod
    def find_email(cls, email: str) -> Self | None:
        return cls.find(email_index(email))


class RoleGrant(MapAttribute[str, object]):
    """A role held by a member; past ``expires_at`` it stops counting, with no job involved. A scoped role's grant
    names the one record it is confined to in ``scope`` (``access.roles.ROLE_SCOPES``)."""

    role = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute(null=True)
    granted_by = UnicodeAttribute(null=True)
    scope = UnicodeAttribute(null=True)

    def active(self, at: datetime) -> bool:
        return self.expires_at is None or at < self.expires_at


class MembershipItem(TenantEntity, discriminator="Membership"):
    """``id`` is the user id: one membership per user and tenant."""

    email = personal(UnicodeAttribute())
    status = UnicodeAttribute(default=ACTIVE)  # active | deactivated
    grants = ListAttribute(of=RoleGrant, default=list)

    def roles_at(self, at: datetime) -> tuple[str, ...]:
        return tuple(sorted({grant.role for grant in self.grants if grant.active(at)}))

    @property
    def scope(self) -> str | None:
        """The record a scoped member is confined to. Expired or not: a scoped member holds that one grant only,
        and confinement must not lapse before the grant's permissions do."""
        return next((grant.scope for grant in self.grants if grant.scope), None)


CUSTOM_ROLES_ID = "custom"


class CustomRolesItem(TenantEntity, discriminator="CustomRoles"):
    """All of a tenant's custom roles in one item (``id`` is always ``custom``), so the authorizer
    resolves any member's permissions with the tenant, membership and session in one BatchGetItem.

    ``roles`` maps a role name to ``{"description", "permissions", "created_at", "updated_at"}``.
    """

    roles = MapAttribute[str, Any](default=dict)  # type: ignore[no-untyped-call]

    def definitions(self) -> dict[str, dict[str, Any]]:
        return {name: dict(value) for name, value in self.roles.as_dict().items()}  # type: ignore[no-untyped-call]

    def permissions(self) -> dict[str, list[str]]:
        return {name: list(value.get("permissions", [])) for name, value in self.definitions().items()}


class SessionItem(TenantEntity, discriminator="Session"):
    """Listed per user (gsi1 ``T#<tenant>#Session#<user>``); deleting it revokes its refresh family."""

    user_id = UnicodeAttribute()
    user_agent = UnicodeAttribute(null=True)
    ip = UnicodeAttribute(null=True)
    last_used_at = UTCDateTimeAttribute(null=True)

    def assign_keys(self) -> None:
        super().assign_keys()
        self.gsi1pk = keys.bucketed_collection_pk(self.tenant_id, self.type_name(), self.user_id)


class RefreshTokenItem(GlobalEntity, discriminator="RefreshToken"):
    """Refresh token hash -> session. Spent on first use; for a short grace window the successor,
    sealed with a key derived from the spent token, lets a racing request get the same pair."""

    tenant_id = UnicodeAttribute()
    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    spent_at = UTCDateTimeAttribute(null=True)
    successor_sealed = UnicodeAttribute(null=True)


class LoginThrottleItem(GlobalEntity, discriminator="LoginThrottle"):
    """Counted attempts at a secret (``identity.lockout``): per account and source, per account, per user."""

    failures = NumberAttribute(default=0)
    locked_until = UTCDateTimeAttribute(null=True)


class OneTimeTokenItem(GlobalEntity, discriminator="OneTimeToken"):
    """An emailed single-use token (password reset, email verification, email change); ``natural_key`` is its
    hash. ``email`` is where it was sent; an email change's also names the address it replaces."""

    purpose = UnicodeAttribute()
    user_id = UnicodeAttribute()
    email = personal(UnicodeAttribute())
    previous_email = personal(UnicodeAttribute(null=True))


class MfaChallengeItem(GlobalEntity, discriminator="MfaChallenge"):
    """A password that checked out, waiting for the second factor; ``natural_key`` is the token hash."""

    user_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
