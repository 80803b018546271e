"""Items -> API shapes and event data."""

from atrium.identity.members.events import RoleGrantData
from atrium.identity.members.models import InvitationItem
from atrium.identity.members.schemas import InvitationOut, MemberOut, RoleGrantOut
from atrium.identity.models import MembershipItem, RoleGrant
from atrium.kernel import clock


def _iso(grant: RoleGrant) -> str | None:
    return clock.iso(grant.expires_at) if grant.expires_at else None


def grants_out(grants: list[RoleGrant]) -> list[RoleGrantOut]:
    return [RoleGrantOut(role=grant.role, expires_at=_iso(grant), granted_by=grant.granted_by, scope=grant.scope)
            for grant in grants]


def grants_data(grants: list[RoleGrant]) -> list[RoleGrantData]:
    return [RoleGrantData(role=grant.role, expires_at=_iso(grant), scope=grant.scope) for grant in grants]


def member_out(member: MembershipItem) -> MemberOut:
    return MemberOut(id=member.id, email=member.email, roles=grants_out(member.grants),
                     status=member.status,
                     joined_at=clock.iso(member.created_at), updated_at=clock.iso(member.updated_at))


def invitation_out(invitation: InvitationItem) -> InvitationOut:
    return InvitationOut(id=invitation.id, email=invitation.email, roles=grants_out(invitation.grants),
                         status="expired" if invitation.expired(clock.now()) else "pending",
                         expires_at=clock.iso(invitation.valid_until), invited_by=invitation.invited_by,
                         created_at=clock.iso(invitation.created_at))
