"""Identity services: signup and the caller's tenant."""

from dataclasses import dataclass

from atrium.identity.events import TENANT_CREATED, TENANT_UPDATED, TenantCreated, TenantUpdated
from atrium.identity.models import (
    MembershipItem,
    RefreshTokenItem,
    SessionItem,
    TenantItem,
    UserEmailItem,
    UserItem,
)
from atrium.identity.passwords import check_strength, hash_password
from atrium.identity.schemas import SignupRequest, SignupResponse, TenantOut, TenantUpdate, UserOut
from atrium.identity.tokens import issue_access_token, new_refresh_token, token_hash
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, tenant_scope

OWNER_ROLES = ["owner"]


@dataclass(frozen=True)
class Versioned:
    """A read model and the version the API exposes as its ETag."""

    body: TenantOut
    version: int


def _tenant_out(tenant: TenantItem) -> TenantOut:
    return TenantOut(id=tenant.id, name=tenant.name, status=tenant.status,
                     created_at=clock.iso(tenant.created_at), updated_at=clock.iso(tenant.updated_at))


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
        tenant=_tenant_out(tenant),
        user=UserOut(id=user_id, email=email, created_at=clock.iso(user.created_at)),
        access_token=access_token, refresh_token=refresh_token,
        expires_in=settings().access_token_ttl_seconds,
    )


def get_tenant(principal: Principal) -> Versioned:
    tenant = TenantItem.load(principal.tenant_id, principal.tenant_id)
    return Versioned(_tenant_out(tenant), tenant.version or 0)


def update_tenant(principal: Principal, change: TenantUpdate, expected_version: int, info: RequestInfo) -> Versioned:
    tenant = TenantItem.load(principal.tenant_id, principal.tenant_id, consistent=True)
    if tenant.version != expected_version:
        raise PreconditionFailed("the tenant has changed since you read it; read it again")
    previous_name, tenant.name = tenant.name, change.name
    uow = UnitOfWork(principal.tenant_id, Ref(type=principal.type, id=principal.id), info)
    uow.save(tenant)
    uow.record(TENANT_UPDATED.name, subject=Ref(type="tenant", id=tenant.id), data=TenantUpdated(
        tenant_id=tenant.id, name=tenant.name, previous_name=previous_name).model_dump())
    uow.commit()
    return Versioned(_tenant_out(tenant), tenant.version or 0)
