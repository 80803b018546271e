"""Invitations: create (the email goes out from a consumer; ``invitation_limits`` bounds how many), list,
revoke."""

from datetime import timedelta

from atrium.identity.members.events import (
    INVITATION_CREATED,
    INVITATION_REVOKED,
    InvitationCreated,
    InvitationRevoked,
)
from atrium.identity.members.granting import grants_from
from atrium.identity.members.invitation_limits import count_invitation
from atrium.identity.members.models import EMAIL_GUARD, InvitationItem, InvitationTokenItem
from atrium.identity.members.schemas import InvitationCreate, InvitationOut, InvitationPage
from atrium.identity.members.usage_counts import require_seat
from atrium.identity.members.views import grants_data, invitation_out
from atrium.identity.models import CUSTOM_ROLES_ID, CustomRolesItem, MembershipItem, UserEmailItem, email_index
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, NotFound
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import keys
from atrium.kernel.store.pages import fetch_page
from atrium.kernel.store.reads import Found
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of

VALID_FOR = timedelta(days=7)
# How long an expired invitation is kept (accepting it answers 410, it can be revoked) before the TTL drops it.
KEPT_AFTER_EXPIRY = timedelta(days=30)


def create_invitation(principal: Principal, request: InvitationCreate, info: RequestInfo) -> InvitationOut:
    tenant_id, email = principal.tenant_id, request.email.lower()
    found = Found([CustomRolesItem(tenant_id=tenant_id, id=CUSTOM_ROLES_ID), UserEmailItem.of(email)])
    grants = grants_from(principal, request.roles, found.get(CustomRolesItem))
    account = found.get(UserEmailItem)
    if account is not None and _is_member(tenant_id, account.user_id):
        raise Conflict(f"{email} is already a member of this tenant")
    require_seat(tenant_id)
    valid_until = clock.now() + VALID_FOR
    invitation = InvitationItem(tenant_id=tenant_id, id=ids.new_id("inv"), email=email, grants=grants,
                                invited_by=principal.id, valid_until=valid_until,
                                expires_at=valid_until + KEPT_AFTER_EXPIRY)
    uow = UnitOfWork(tenant_id, actor_of(principal), info)
    uow.create(invitation, conflict=Conflict("id collision; retry"))
    uow.claim_unique(EMAIL_GUARD, email_index(email, tenant_id=tenant_id), owner_id=invitation.id,
                     expires_at=invitation.expires_at,
                     conflict=Conflict(f"{email} already has an open invitation; revoke it to invite again"))
    count_invitation(uow, tenant_id, email)
    uow.record(INVITATION_CREATED.name, subject=Ref(type="invitation", id=invitation.id), data=InvitationCreated(
        invitation_id=invitation.id, email=email, roles=grants_data(grants), expires_at=clock.iso(valid_until),
        invited_by=principal.id).model_dump())
    uow.commit()
    return invitation_out(invitation)


def _is_member(tenant_id: str, user_id: str) -> bool:
    try:
        MembershipItem.load(tenant_id, user_id, consistent=True)
    except NotFound:
        return False
    return True


def list_invitations(principal: Principal, *, limit: int, cursor: str | None) -> InvitationPage:
    tenant_id = principal.tenant_id
    page = fetch_page(
        lambda start: InvitationItem.gsi1.query(keys.collection_pk(tenant_id, InvitationItem.type_name()),
                                                limit=limit, page_size=limit, last_evaluated_key=start),
        cursor=cursor, tenant_id=tenant_id, query="members.list_invitations")
    return InvitationPage(data=[invitation_out(item) for item in page.items if isinstance(item, InvitationItem)],
                          next_cursor=page.next_cursor)


def revoke_invitation(principal: Principal, invitation_id: str, info: RequestInfo) -> None:
    """Deletes the invitation and its token and frees its email for a new invitation."""
    if not ids.is_valid_id(invitation_id, "inv"):
        raise NotFound(f"invitation {invitation_id} not found")
    invitation = InvitationItem.load(principal.tenant_id, invitation_id, consistent=True)
    token = InvitationTokenItem.find(invitation.token_hash) if invitation.token_hash else None
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    uow.delete(invitation)
    if token is not None:
        uow.delete(token)
    uow.release_unique(EMAIL_GUARD, email_index(invitation.email, tenant_id=principal.tenant_id),
                       owner_id=invitation.id)
    uow.record(INVITATION_REVOKED.name, subject=Ref(type="invitation", id=invitation.id),
               data=InvitationRevoked(invitation_id=invitation.id, email=invitation.email).model_dump())
    uow.commit()
