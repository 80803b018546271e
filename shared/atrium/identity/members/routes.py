"""Members and invitations routes.

A route function loads only its own context when it starts (tests/integration/test_lambda_entries.py), and the
services here are built on identity's items: each loads at its first use (``kernel/lazy.py``).
"""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.identity.members.schemas import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationOut,
    InvitationPage,
    MemberOut,
    MemberPage,
    MemberUpdate,
)
from atrium.kernel.grants import WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest, ExpectedVersion, etag
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ETAG_HEADER, PUBLIC, ContextRouter
from atrium.kernel.lazy import lazy_modules

if TYPE_CHECKING:
    from atrium.identity.members import acceptance, invitations, roster
else:
    acceptance, invitations, roster = lazy_modules("atrium.identity.members", "acceptance", "invitations", "roster")

router = ContextRouter("members")
USERS, USER = "/v1/users", "/v1/users/{user_id}"
INVITATIONS, INVITATION = "/v1/invitations", "/v1/invitations/{invitation_id}"
_LIST_GRANTS = {Grant.TABLE_READ, Grant.CURSOR_KEY_READ}
_NOT_A_MEMBER = {404: {"description": "No such member in the caller's tenant"}}
_NO_INVITATION = {404: {"description": "No such invitation in the caller's tenant"}}
_NO_SEAT = {402: {"description": "The tenant's plan has no seat left (members and open invitations hold them)"}}

@router.get(USERS, name="list_users", permission="users:read", grants=_LIST_GRANTS,
            responses={400: {"description": "The cursor is not one issued for this list"}})
def list_users(principal: CurrentPrincipal, page: Paging) -> MemberPage:
    """The tenant's members, oldest first."""
    return roster.list_members(principal, limit=page.limit, cursor=page.cursor)


@router.get(USER, name="get_user", permission="users:read", grants={Grant.TABLE_READ},
            responses={200: {"headers": ETAG_HEADER}} | _NOT_A_MEMBER)
def get_user(user_id: str, principal: CurrentPrincipal, response: Response) -> MemberOut:
    """One member. The ETag header is the version to send in If-Match."""
    member = roster.get_member(principal, user_id)
    response.headers["ETag"] = etag(member.version)
    return member.body


@router.patch(USER, name="update_user", permission="users:update", grants=WRITE,
              responses={200: {"headers": ETAG_HEADER}, **_NOT_A_MEMBER, **_NO_SEAT,
                         409: {"description": "The change would leave the tenant without an active owner"},
                         412: {"description": "If-Match does not match"}, 428: {"description": "If-Match missing"}})
def update_user(user_id: str, body: MemberUpdate, principal: CurrentPrincipal, version: ExpectedVersion,
                info: CurrentRequest, response: Response) -> MemberOut:
    """Replace a member's roles, or (de)activate them. Requires If-Match."""
    member = roster.update_member(principal, user_id, body, version, info)
    response.headers["ETag"] = etag(member.version)
    return member.body


@router.delete(USER, name="delete_user", permission="users:delete", grants=WRITE, status_code=204,
               responses={**_NOT_A_MEMBER, 409: {"description": "The member is the tenant's last active owner"}})
def delete_user(user_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> Response:
    """Remove a member from the tenant (their account stays)."""
    roster.remove_member(principal, user_id, info)
    return Response(status_code=204)


@router.post(INVITATIONS, name="create_invitation", permission="invitations:create", grants=WRITE,
             status_code=201, idempotent=True,
             responses={201: {"headers": {"Location": {"description": "The invitation",
                                                       "schema": {"type": "string"}}}}, **_NO_SEAT,
                        409: {"description": "Already a member, or an open invitation exists for this email"},
                        429: {"description": "The tenant's invitations for this hour or day, or this address's for "
                                             "today, are used up; see Retry-After"}})
def create_invitation(body: InvitationCreate, principal: CurrentPrincipal, info: CurrentRequest,
                      response: Response) -> InvitationOut:
    """Invite someone by email; the email with the accept link is sent right after."""
    invitation = invitations.create_invitation(principal, body, info)
    response.headers["Location"] = INVITATION.format(invitation_id=invitation.id)
    return invitation


@router.get(INVITATIONS, name="list_invitations", permission="invitations:read", grants=_LIST_GRANTS,
            responses={400: {"description": "The cursor is not one issued for this list"}})
def list_invitations(principal: CurrentPrincipal, page: Paging) -> InvitationPage:
    """Open invitations (pending or expired), oldest first. Accepted and revoked ones are gone."""
    return invitations.list_invitations(principal, limit=page.limit, cursor=page.cursor)


@router.delete(INVITATION, name="delete_invitation", permission="invitations:delete", grants=WRITE,
               status_code=204, responses=_NO_INVITATION)
def delete_invitation(invitation_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> Response:
    """Revoke an invitation: its link stops working and the email may be invited again."""
    invitations.revoke_invitation(principal, invitation_id, info)
    return Response(status_code=204)


@router.post(f"{INVITATIONS}/accept", name="accept_invitation", permission=PUBLIC, grants=WRITE | {
             Grant.SIGNING_KEYS_READ},
             responses={**_NO_SEAT, 403: {"description": "The tenant is suspended"},
                        404: {"description": "The token is unknown, used, revoked or replaced"},
                        409: {"description": "Already a member of this tenant"},
                        410: {"description": "The invitation has expired"}})
def accept_invitation(body: InvitationAccept, info: CurrentRequest) -> InvitationAccepted:
    """Join the tenant with the emailed token; creates the account when the email has none (password needed)."""
    # Imported here, not at the top: argon2 and the JWT stack load only in this function.
    return acceptance.accept_invitation(body, info)
