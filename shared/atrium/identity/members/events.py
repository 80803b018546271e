"""Event types the members context emits. None carries a secret: invitation tokens are minted as the email goes."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class RoleGrantData(BaseModel):
    role: str
    expires_at: str | None
    scope: str | None = None  # absent from events recorded before roles could be scoped


class InvitationCreated(BaseModel):
    invitation_id: str
    email: str
    roles: list[RoleGrantData]
    expires_at: str
    invited_by: str


class InvitationRevoked(BaseModel):
    invitation_id: str
    email: str


class MemberJoined(BaseModel):
    user_id: str
    email: str
    invitation_id: str
    roles: list[RoleGrantData]
    new_account: bool


class MemberUpdated(BaseModel):
    user_id: str
    roles: list[RoleGrantData]
    status: str
    previous_roles: list[RoleGrantData]
    previous_status: str


class MemberRemoved(BaseModel):
    user_id: str
    email: str


INVITATION_CREATED = EventType("invitation.created", InvitationCreated, "A person was invited to join the tenant.",
                               read_permission="invitations:read")
INVITATION_REVOKED = EventType("invitation.revoked", InvitationRevoked, "An open invitation was withdrawn.",
                               read_permission="invitations:read")
MEMBER_JOINED = EventType("member.joined", MemberJoined, "An invitation was accepted; its user is now a member.",
                          read_permission="users:read")
MEMBER_UPDATED = EventType("member.updated", MemberUpdated, "A member's roles or status changed.",
                           read_permission="users:read")
MEMBER_REMOVED = EventType("member.removed", MemberRemoved, "A member was removed from the tenant.",
                           read_permission="users:read")

EVENT_TYPES = [INVITATION_CREATED, INVITATION_REVOKED, MEMBER_JOINED, MEMBER_UPDATED, MEMBER_REMOVED]
