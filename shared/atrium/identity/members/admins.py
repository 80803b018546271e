"""The tenant's admins: who to tell when something needs an administrator (a webhook endpoint was disabled);
and its billing contacts: who to tell about payments (its members with the billing role, else its admins).

Public: another context calls ``tenant_admins`` (``identity.api``) rather than reading memberships itself; the
billing context reaches ``billing_contacts`` through ``atrium.manifest.billing_contacts``.
"""

from dataclasses import dataclass

from atrium.identity.access.roles import ADMIN, OWNER
from atrium.identity.models import ACTIVE, MembershipItem
from atrium.kernel import clock
from atrium.kernel.store import keys

ADMIN_ROLES = frozenset({OWNER, ADMIN})
BILLING = "billing"
# Members per Query of the tenant's members index: the lookup costs one Query per page.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Admin:
    user_id: str
    email: str


def _active_roles(tenant_id: str) -> list[tuple[Admin, frozenset[str]]]:
    """Each active member with the roles held now, oldest membership first (one Query per ``PAGE_SIZE``)."""
    members = MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()),
                                        page_size=PAGE_SIZE)
    now = clock.now()
    return [(Admin(user_id=member.id, email=member.email), frozenset(member.roles_at(now))) for member in members
            if isinstance(member, MembershipItem) and member.status == ACTIVE]


def tenant_admins(tenant_id: str) -> list[Admin]:
    """Every active member of ``tenant_id`` who holds the owner or admin role, oldest membership first.

    Pages through all the tenant's members (one Query per ``PAGE_SIZE`` members, no other read). The email is
    the membership's, as the members list shows it: it is the account's, copied when the user joined. The
    index lags the table by a moment, which is fine for whom to notify. Call inside the tenant's scope.
    """
    return [admin for admin, roles in _active_roles(tenant_id) if not roles.isdisjoint(ADMIN_ROLES)]


def billing_contacts(tenant_id: str) -> list[Admin]:
    """The active members holding the billing role now or, if none does, the owners and admins: who hears about
    payments. One pass over the members, as ``tenant_admins``. Call inside the tenant's scope."""
    members = _active_roles(tenant_id)
    return ([admin for admin, roles in members if BILLING in roles]
            or [admin for admin, roles in members if not roles.isdisjoint(ADMIN_ROLES)])
