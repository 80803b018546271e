"""Accepting an invitation: the emailed token proves the mailbox; the membership, the account (if new) and a
session are written in one transaction that also spends the token."""

from atrium.identity.access_state import check_tenant_active
from atrium.identity.members.events import MEMBER_JOINED, MemberJoined
from atrium.identity.members.models import EMAIL_GUARD, InvitationItem, InvitationTokenItem
from atrium.identity.members.schemas import InvitationAccept, InvitationAccepted, JoinedTenant, JoinedUser
from atrium.identity.members.usage_counts import require_seat
from atrium.identity.members.views import grants_data
from atrium.identity.models import MembershipItem, TenantItem, UserEmailItem, UserItem, email_index
from atrium.identity.passwords import check_strength, hash_password
from atrium.identity.sessions import open_session
from atrium.identity.tenants import tenant_out
from atrium.identity.tokens import token_hash
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, Gone, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.reads import Found
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope

_UNKNOWN = "no open invitation has this token; it may have been used, revoked or replaced by a newer email"


def accept_invitation(request: InvitationAccept, info: RequestInfo) -> InvitationAccepted:
    token = InvitationTokenItem.find(token_hash(request.token))
    if token is None:
        raise NotFound(_UNKNOWN)
    with tenant_scope(token.tenant_id):
        return _accept(token, request.password, info)


def _accept(token: InvitationTokenItem, password: str | None, info: RequestInfo) -> InvitationAccepted:
    tenant_id, email = token.tenant_id, token.email
    found = Found([InvitationItem(tenant_id=tenant_id, id=token.invitation_id),
                   TenantItem(tenant_id=tenant_id, id=tenant_id), UserEmailItem.of(email)])
    invitation, tenant, account = found.get(InvitationItem), found.get(TenantItem), found.get(UserEmailItem)
    if invitation is None or tenant is None or invitation.token_hash != token.natural_key:
        raise NotFound(_UNKNOWN)
    if invitation.expired(clock.now()):
        raise Gone("the invitation has expired; ask for a new one")
    check_tenant_active(tenant)
    require_seat(tenant_id, accepting=True)
    user = _existing_user(account) if account is not None else _new_user(email, password, tenant_id)
    uow = UnitOfWork(tenant_id, Ref(type="user", id=user.id), info)
    if account is None:
        uow.create(user, conflict=Conflict("id collision; retry"))
        uow.create(UserEmailItem.of(email, user_id=user.id),
                   conflict=Conflict("an account with this email was created meanwhile; accept again"))
    elif tenant_id not in user.tenant_ids:
        user.tenant_ids = [*user.tenant_ids, tenant_id]
        uow.save(user)
    uow.create(MembershipItem(tenant_id=tenant_id, id=user.id, email=email, grants=invitation.grants),
               conflict=Conflict("you are already a member of this tenant"))
    uow.delete(invitation)
    uow.delete(token)
    uow.release_unique(EMAIL_GUARD, email_index(email, tenant_id=tenant_id), owner_id=invitation.id)
    tokens = open_session(uow, user_id=user.id)
    uow.record(MEMBER_JOINED.name, subject=Ref(type="user", id=user.id), data=MemberJoined(
        user_id=user.id, email=email, invitation_id=invitation.id, roles=grants_data(invitation.grants),
        new_account=account is None).model_dump())
    uow.commit()
    return InvitationAccepted(tenant=JoinedTenant.model_validate(tenant_out(tenant).model_dump()),
                              user=JoinedUser(id=user.id, email=email, created_at=clock.iso(user.created_at)),
                              **tokens.model_dump())


def _existing_user(account: UserEmailItem) -> UserItem:
    """The mailbox is proven by the token: no password is asked, and a password sent is not used."""
    user = UserItem.find(account.user_id)
    if user is None:
        raise Conflict("the account of this email is being changed; accept again")
    return user


def _new_user(email: str, password: str | None, tenant_id: str) -> UserItem:
    if password is None:
        raise Unprocessable("choose a password to create your account", errors=[
            {"field": "body.password", "message": "required: this email has no account yet"}])
    check_strength(password, email=email)
    return UserItem(natural_key=ids.new_id("usr"), email=email, password_hash=hash_password(password),
                    tenant_ids=[tenant_id], email_verified=True)
