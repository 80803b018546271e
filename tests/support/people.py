"""Test members: a user with given roles in an existing tenant, signed in, without the invitation flow."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import count

from atrium.identity.models import MembershipItem, RoleGrant, UserEmailItem, UserItem
from atrium.identity.passwords import hash_password
from atrium.identity.sessions import open_session
from atrium.kernel import ids
from atrium.kernel.errors import Conflict
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope

PASSWORD = "correct horse battery staple"
_numbers = count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


@dataclass(frozen=True)
class Member:
    tenant_id: str
    user_id: str
    email: str
    token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_member(tenant_id: str, *roles: str, expires_at: datetime | None = None, email: str | None = None,
               scope: str | None = None) -> Member:
    """``scope``: the record a scoped role's grant names (every grant gets it; a scoped member holds one)."""
    email = email or f"member{next(_numbers)}@example.com"
    user_id = ids.new_id("usr")
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="test", id="fixture"))
        grants = [RoleGrant(role=role, expires_at=expires_at, scope=scope)  # type: ignore[no-untyped-call]
                  for role in roles]
        uow.create(UserItem(natural_key=user_id, email=email, password_hash=_password_hash(),
                            tenant_ids=[tenant_id]), conflict=Conflict("collision"))
        uow.create(UserEmailItem.of(email, user_id=user_id), conflict=Conflict("email taken"))
        uow.create(MembershipItem(tenant_id=tenant_id, id=user_id, email=email, grants=grants),
                   conflict=Conflict("collision"))
        tokens = open_session(uow, user_id=user_id)
        uow.record("test.member_added", subject=Ref(type="user", id=user_id), data={}, emit=False)
        uow.commit()
    return Member(tenant_id, user_id, email, tokens.access_token, tokens.refresh_token)


def join(tenant_id: str, member: Member, *roles: str) -> None:
    """Make an existing user a member of another tenant too."""
    with tenant_scope(tenant_id):
        user = UserItem.find(member.user_id, consistent=True)
        assert user is not None
        user.tenant_ids = [*user.tenant_ids, tenant_id]
        uow = UnitOfWork(tenant_id, Ref(type="test", id="fixture"))
        uow.save(user)
        uow.create(MembershipItem(tenant_id=tenant_id, id=member.user_id, email=member.email,
                                  grants=[RoleGrant(role=role) for role in roles]),  # type: ignore[no-untyped-call]
                   conflict=Conflict("already a member"))
        uow.record("test.member_joined", subject=Ref(type="user", id=member.user_id), data={}, emit=False)
        uow.commit()
