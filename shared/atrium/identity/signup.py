"""Signup: a new tenant and its owner, in one transaction."""

from atrium.identity.events import TENANT_CREATED, TenantCreated
from atrium.identity.models import (
    MembershipItem,
    RefreshTokenItem,
    SessionItem,
    TenantItem,
    UserEmailItem,
    UserItem,
)
from atrium.identity.passwords import check_strength, hash_password
from atrium.identity.schemas import SignupRequest, SignupResponse, UserOut
from atrium.identity.tenants import tenant_out
from atrium.identity.tokens import issue_access_token, new_refresh_token, token_hash
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope

OWNER_ROLES = ["owner"]


def signup(request: SignupRequest, info: RequestInfo) -> SignupResponse:
    """One transaction: tenant, owner, email guard, membership, session, audit entry, event."""
    email = request.email.lower()
    check_strength(request.password, email=email)
    tenant_id, user_id, session_id = ids.new_id("ten"), ids.new_id("usr"), ids.new_id("ses")
    refresh_token = new_refresh_token()
    refresh_expiry = expires_in(settings().refresh_token_ttl_seconds)
    with tenant_scope(tenant_id):
        # Signed before the write: if no key is available, nothing is created.
        access_token = issue_access_token(user_id=user_id, tenant_id=tenant_id, roles=OWNER_ROLES,
                                          session_id=session_id)
        tenant = TenantItem(tenant_id=tenant_id, id=tenant_id, name=request.tenant_name)
        user = UserItem(natural_key=user_id, email=email, password_hash=hash_password(request.password))
        collision = Conflict("id collision; retry")
        uow = UnitOfWork(tenant_id, Ref(type="user", id=user_id), info)
        uow.create(tenant, conflict=collision)
        uow.create(user, conflict=collision)
        uow.create(UserEmailItem(natural_key=email, user_id=user_id),
                   conflict=Conflict("an account with this email already exists"))
        uow.create(MembershipItem(tenant_id=tenant_id, id=user_id, roles=OWNER_ROLES), conflict=collision)
        uow.create(SessionItem(tenant_id=tenant_id, id=session_id, user_id=user_id, user_agent=info.user_agent,
                               ip=info.ip, expires_at=refresh_expiry), conflict=collision)
        uow.create(RefreshTokenItem(natural_key=token_hash(refresh_token), tenant_id=tenant_id,
                                    session_id=session_id, user_id=user_id, expires_at=refresh_expiry),
                   conflict=collision)
        uow.record(TENANT_CREATED.name, subject=Ref(type="tenant", id=tenant_id), data=TenantCreated(
            tenant_id=tenant_id, name=tenant.name, owner_user_id=user_id, owner_email=email).model_dump())
        uow.commit()
    return SignupResponse(
        tenant=tenant_out(tenant),
        user=UserOut(id=user_id, email=email, created_at=clock.iso(user.created_at)),
        access_token=access_token, refresh_token=refresh_token,
        expires_in=settings().access_token_ttl_seconds,
    )
