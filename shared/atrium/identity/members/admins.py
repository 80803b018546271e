"""The tenant's admins: who to tell when something needs an administrator (a webhook endpoint was disabled).

Public: another context calls ``tenant_admins`` rather than reading memberships itself.
"""

from dataclasses import dataclass

from atrium.identity.access.roles import ADMIN, OWNER
from atrium.identity.models import ACTIVE, MembershipItem
from atrium.kernel import clock
from atrium.kernel.store import keys

ADMIN_ROLES = frozenset({OWNER, ADMIN})
# Members per Query of the tenant's members index: the lookup costs one Query per page.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Admin:
    user_id: str
    email: str


def is_admin(member: MembershipItem) -> bool:
    """Active, and holding the owner or admin role now (an expired grant does not count)."""
    return member.status == ACTIVE and not ADMIN_ROLES.isdisjoint(member.roles_at(clock.now()))


def tenant_admins(tenant_id: str) -> list[Admin]:
    """Every active member of ``tenant_id`` who holds the owner or admin role, oldest membership first.

    Pages through all the tenant's members (one Query per ``PAGE_SIZE`` members, no other read). The email is
    the membership's, as the members list shows it: it is the account's, copied when the user joined. The
    index lags the table by a moment, which is fine for whom to notify. Call inside the tenant's scope.
    """
    members = MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()),
                                        page_size=PAGE_SIZE)
    return [Admin(user_id=member.id, email=member.email) for member in members
            if isinstance(member, MembershipItem) and is_admin(member)]
