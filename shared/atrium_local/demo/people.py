"""The demo tenant and one user per built-in role but the scoped ones: the owner signs up, every other role is
invited and accepts with the token from the local mailbox."""

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from atrium_local.demo.api import DemoError, Session, Stack

TENANT_NAME = "Demo Studio"
OWNER, ADMIN, MEMBER = "owner", "admin", "member"
_TOKEN = re.compile(r"/accept-invitation\?token=(atr_inv_[A-Za-z0-9_-]+)")


def email_of(role: str) -> str:
    return f"{role}@demo.example.com"


def password_of(role: str) -> str:
    """Derived from the role, not random, so that any later run signs in with it; fit for a local stack only."""
    return hashlib.sha256(f"atrium demo {role}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DemoUser:
    role: str
    id: str
    session: Session


@dataclass(frozen=True)
class Cast:
    tenant: dict[str, Any]
    users: dict[str, DemoUser]  # by role, the owner first

    @property
    def owner(self) -> DemoUser:
        return self.users[OWNER]

    @property
    def reviewer(self) -> DemoUser:
        """Reviews every proof (a required reviewer)."""
        return self.users[MEMBER]

    @property
    def admin(self) -> DemoUser:
        """An optional reviewer, who answers comments."""
        return self.users[ADMIN]


def cast(stack: Stack) -> Cast:
    owner = _owner(stack)
    me = stack.json("GET", "/v1/me", auth=owner.session)
    # A scoped role's grant names a record of its app (a customer user's customer), which the demo does not make.
    roles = [role["name"] for role in stack.json("GET", "/v1/roles", auth=owner.session)["data"]
             if role["built_in"] and role["name"] != OWNER and role["scope"] is None]
    members = {member["email"]: member for member in stack.each("/v1/users", owner.session)}
    # Every invitation first, then every acceptance: their emails go out together.
    mailed = {role: _invite(stack, owner, role) for role in roles if email_of(role) not in members}
    users = {OWNER: owner}
    for role in roles:
        member = members.get(email_of(role))
        users[role] = _accept(stack, role, mailed[role]) if member is None else _member(stack, role, member)
    return Cast(me["tenant"], users)


def _sign_in(stack: Stack, role: str) -> Session | None:
    email, password = email_of(role), password_of(role)
    response = stack.call("POST", "/v1/auth/login", json={"email": email, "password": password}, expect=(200, 401))
    return Session(email, password, response.json()["access_token"]) if response.status_code == 200 else None


def _owner(stack: Stack) -> DemoUser:
    """The demo tenant is the one its owner signs in to; signed up the first time."""
    session = _sign_in(stack, OWNER)
    if session is None:
        email, password = email_of(OWNER), password_of(OWNER)
        body = stack.json("POST", "/v1/signup", expect=(201,), key="signup",
                          json={"tenant_name": TENANT_NAME, "email": email, "password": password})
        stack.made(f"tenant {TENANT_NAME} and its owner {email}")
        session = Session(email, password, body["access_token"])
    me = stack.json("GET", "/v1/me", auth=session)
    return DemoUser(OWNER, me["user"]["id"], session)


def _member(stack: Stack, role: str, member: dict[str, Any]) -> DemoUser:
    if role not in {grant["role"] for grant in member["roles"]}:
        raise DemoError(f"{member['email']} no longer holds the {role} role")
    session = _sign_in(stack, role)
    if session is None:
        raise DemoError(f"{member['email']} no longer signs in with the demo's password")
    return DemoUser(role, member["id"], session)


def _invite(stack: Stack, owner: DemoUser, role: str) -> int:
    """Invite ``role``'s user unless an open invitation exists; how many of the mailed tokens to pass over."""
    email = email_of(role)
    invitation = stack.find("/v1/invitations", owner.session, lambda found: found["email"] == email)
    if invitation is not None and invitation["status"] == "expired":
        stack.call("DELETE", f"/v1/invitations/{invitation['id']}", auth=owner.session, expect=(204,))
        invitation = None
    if invitation is not None:
        return 0  # left open by an interrupted run: its newest email holds its token
    mailed = len(_emailed_tokens(stack, email))  # the new invitation's email comes on top of these
    stack.call("POST", "/v1/invitations", auth=owner.session, expect=(201,), key=f"invite-{role}",
               json={"email": email, "roles": [{"role": role}]})
    return mailed


def _accept(stack: Stack, role: str, mailed: int) -> DemoUser:
    """Accept with the newest emailed token, past the ``mailed`` ones."""
    email, password = email_of(role), password_of(role)
    token = stack.wait_for(f"the invitation email to {email}", lambda: _newest_token(stack, email, beyond=mailed))
    accepted = stack.json("POST", "/v1/invitations/accept", json={"token": token, "password": password})
    stack.made(f"user {email} ({role})")
    return DemoUser(role, accepted["user"]["id"], Session(email, password, accepted["access_token"]))


def _emailed_tokens(stack: Stack, email: str) -> list[str]:
    """Invitation tokens mailed to ``email``, newest first (the local stack's mailbox)."""
    return [match[1] for mail in stack.json("GET", "/_local/mail")
            if mail["to"] == email and (match := _TOKEN.search(mail["text"] or ""))]


def _newest_token(stack: Stack, email: str, *, beyond: int) -> str | None:
    tokens = _emailed_tokens(stack, email)
    return tokens[0] if len(tokens) > beyond else None
