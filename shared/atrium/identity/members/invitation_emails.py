"""The invitation email. Its one-time token is minted here, where it is delivered, and stored only as a hash."""

import secrets

from atrium.identity.members.models import InvitationItem, InvitationTokenItem
from atrium.identity.models import TenantItem
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.reads import Found
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.mail.api import Category, Email, send_email

TOKEN_PREFIX = "atr_inv_"
MAILER = Ref(type="service", id="members.send_invitation")


def issue_token(tenant_id: str, invitation_id: str) -> tuple[str, InvitationItem, TenantItem] | None:
    """A new token for an open invitation (the previous one stops working), or None if it is gone or expired."""
    found = Found([InvitationItem(tenant_id=tenant_id, id=invitation_id), TenantItem(tenant_id=tenant_id,
                                                                                     id=tenant_id)])
    invitation, tenant = found.get(InvitationItem), found.get(TenantItem)
    if invitation is None or tenant is None or invitation.expired(clock.now()):
        return None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    uow = UnitOfWork(tenant_id, MAILER)
    uow.create(InvitationTokenItem(natural_key=invitation.token_hash, tenant_id=tenant_id, invitation_id=invitation_id,
                                   email=invitation.email, expires_at=invitation.expires_at),
               conflict=Conflict("token collision"))
    uow.save(invitation)
    uow.record("invitation.sent", subject=Ref(type="invitation", id=invitation_id), data={"email": invitation.email},
               emit=False)
    uow.commit()
    return token, invitation, tenant


def send_invitation(tenant_id: str, invitation_id: str) -> None:
    issued = issue_token(tenant_id, invitation_id)
    if issued is None:
        return  # accepted, revoked or expired before the email went out: nothing to send
    token, invitation, tenant = issued
    link = f"{settings().web_url.rstrip('/')}/accept-invitation?token={token}"
    send_email(Email(to=invitation.email, template="invitation", category=Category.INVITATIONS, context={
        "tenant_name": tenant.name, "link": link, "expires": clock.iso(invitation.valid_until)}))
