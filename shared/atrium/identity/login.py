"""Sign-in with email and password: tokens for one tenant, or an MFA challenge first.

Whether an email exists is never revealed: an unknown email costs the same password check
(against a decoy), counts toward the same lockout, and gets the same answer as a wrong password.
"""

from typing import Any

from atrium.identity import lockout
from atrium.identity.access_state import check_tenant_active
from atrium.identity.directory import DIRECTORY, TenantDirectoryItem
from atrium.identity.mfa_challenge import CHALLENGE_SECONDS, start_mfa_challenge
from atrium.identity.models import ACTIVE, MembershipItem, TenantItem, UserEmailItem, UserItem, email_index
from atrium.identity.passwords import verify_password
from atrium.identity.schemas import LoginRequest, MfaRequired, Tokens
from atrium.identity.sessions import open_session
from atrium.kernel.errors import AtriumError, Conflict, Forbidden, Unauthenticated
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope

WRONG_CREDENTIALS = "the email or password is incorrect"


class TenantChoiceRequired(Conflict):
    """The user belongs to several tenants; the problem lists them so the client can ask which."""

    def __init__(self, tenants: list[dict[str, str]]) -> None:
        super().__init__("this account belongs to several tenants: send tenant_id")
        self.tenants = tenants

    @property
    def extensions(self) -> dict[str, Any]:
        return {"tenants": self.tenants}


def login(request: LoginRequest, info: RequestInfo) -> Tokens | MfaRequired:
    index = email_index(request.email)  # the lockout counts by it too: no address in a key
    attempt, found = lockout.begin_sign_in(index, info.ip,
                                           (keys.global_pk(UserEmailItem.type_name(), index), keys.ENTITY_SK))
    user = UserItem.find(found[0].user_id) if found and isinstance(found[0], UserEmailItem) else None
    if not attempt.check(lambda: verify_password(user.password_hash if user else None, request.password)) \
            or user is None:
        raise Unauthenticated(WRONG_CREDENTIALS)
    try:
        tenant_id = _chosen_tenant(user, request.tenant_id)
    except AtriumError:
        attempt.clear()  # the password was right: what is wrong now is no guess
        raise
    if user.mfa_enabled:
        attempt.clear()
        return MfaRequired(mfa_token=start_mfa_challenge(user.id, tenant_id), expires_in=CHALLENGE_SECONDS)
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="user", id=user.id, name=user.email), info)
        attempt.clear(uow)
        tokens = open_session(uow, user_id=user.id)
        uow.record("session.started", subject=Ref(type="user", id=user.id), data={"method": "password"},
                   emit=False)
        uow.commit()
    return tokens


def _chosen_tenant(user: UserItem, requested: str | None) -> str:
    """The tenant the tokens will be for: checked active, with an active membership. One BatchGetItem."""
    candidates = [requested] if requested else user.tenant_ids
    if (requested and requested not in user.tenant_ids) or not candidates:
        raise Unauthenticated("this account is not a member of that tenant")
    if len(candidates) > 1:
        raise TenantChoiceRequired(_names(candidates))
    (tenant_id,) = candidates
    with tenant_scope(tenant_id):
        tenant, membership = _tenant_and_membership(tenant_id, user.id)
    check_tenant_active(tenant, membership)
    if membership is None:
        raise Unauthenticated("this account is not a member of that tenant")
    if membership.status != ACTIVE:
        raise Forbidden("your membership of this tenant is deactivated")
    return tenant_id


def _names(tenant_ids: list[str]) -> list[dict[str, str]]:
    """The tenants' ids and names, from their directory entries (global items: no tenant's session reads
    several tenants)."""
    wanted = [(keys.global_pk(DIRECTORY, tenant_id), keys.ENTITY_SK) for tenant_id in tenant_ids[:100]]
    return [{"id": entry.natural_key, "name": entry.name} for entry in Item.batch_get(wanted)
            if isinstance(entry, TenantDirectoryItem)]


def _tenant_and_membership(tenant_id: str, user_id: str) -> tuple[TenantItem | None, MembershipItem | None]:
    wanted = [(keys.entity_pk(tenant_id, TenantItem.type_name(), tenant_id), keys.ENTITY_SK),
              (keys.entity_pk(tenant_id, MembershipItem.type_name(), user_id), keys.ENTITY_SK)]
    found = list(Item.batch_get(wanted))
    tenant = next((item for item in found if isinstance(item, TenantItem)), None)
    return tenant, next((item for item in found if isinstance(item, MembershipItem)), None)
