"""The invitation email. Its one-time token is minted here, where it is delivered, and stored only as a hash."""

import secrets
from html import escape

from atrium.identity.models import TenantItem
from atrium.identity.tokens import token_hash
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.mail.service import send_email
from atrium.members.models import InvitationItem, InvitationTokenItem
from atrium.members.reads import Found

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
    app, expires = settings().app_name, clock.iso(invitation.valid_until)
    send_email(
        to=invitation.email,
        subject=f"You are invited to join {tenant.name} on {app}",
        text=f"You are invited to join {tenant.name} on {app}.\n\nAccept the invitation: {link}\n\n"
             f"The link works once, until {expires}.\n",
        html=f"<p>You are invited to join <strong>{escape(tenant.name)}</strong> on {escape(app)}.</p>"
             f'<p><a href="{escape(link)}">Accept the invitation</a></p><p>The link works once, until {expires}.</p>',
    )
