"""Signup: a new tenant and its owner, in one transaction."""

from atrium.identity.access.roles import OWNER
from atrium.identity.directory import directory_entry
from atrium.identity.events import TENANT_CREATED, TenantCreated
from atrium.identity.models import MembershipItem, RoleGrant, TenantItem, UserEmailItem, UserItem
from atrium.identity.passwords import check_strength, hash_password
from atrium.identity.schemas import SignupRequest, SignupResponse, UserOut
from atrium.identity.sessions import open_session
from atrium.identity.tenants import tenant_out
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium.mail.api import hold_until_verified


def signup(request: SignupRequest, info: RequestInfo) -> SignupResponse:
    """One transaction: tenant, its first data key, owner, email guard, membership, session, the mark that holds the
    tenant's mail until the owner verifies their address, audit entry, event."""
    email = request.email.lower()
    check_strength(request.password, email=email, tenant_name=request.tenant_name)
    tenant_id, user_id = ids.new_id("ten"), ids.new_id("usr")
    with tenant_scope(tenant_id):
        tenant = TenantItem(tenant_id=tenant_id, id=tenant_id, name=request.tenant_name)
        user = UserItem(natural_key=user_id, email=email, password_hash=hash_password(request.password),
                        tenant_ids=[tenant_id])
        collision = Conflict("id collision; retry")
        uow = UnitOfWork(tenant_id, Ref(type="user", id=user_id, name=email), info)
        tokens = open_session(uow, user_id=user_id)
        data_keys.first_key(tenant_id, uow)  # seals the membership's email and every event, from this first one
        uow.create(tenant, conflict=collision)
        uow.create(directory_entry(tenant), conflict=collision)
        uow.create(user, conflict=collision)
        uow.create(UserEmailItem.of(email, user_id=user_id),
                   conflict=Conflict("an account with this email already exists"))
        uow.create(MembershipItem(tenant_id=tenant_id, id=user_id, email=email, grants=[RoleGrant(role=OWNER)]),  # type: ignore[no-untyped-call]
                   conflict=collision)
        hold_until_verified(uow, tenant_id, user_id)  # its mail to others is capped until the owner verifies
        uow.record(TENANT_CREATED.name, subject=Ref(type="tenant", id=tenant_id), data=TenantCreated(
            tenant_id=tenant_id, name=tenant.name, owner_user_id=user_id, owner_email=email).model_dump())
        uow.commit()
    return SignupResponse(
        tenant=tenant_out(tenant),
        user=UserOut(id=user_id, email=email, created_at=clock.iso(user.created_at)),
        **tokens.model_dump(),
    )
