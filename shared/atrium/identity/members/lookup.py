"""Who is an active member of a tenant: the public lookup other contexts and apps use (reviewers, mentions),
so none of them reads memberships itself."""

from dataclasses import dataclass

from atrium.identity.models import ACTIVE, MembershipItem
from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    roles: tuple[str, ...]  # the roles its grants hold now (an expired grant holds none)


def active_members(tenant_id: str, user_ids: set[str]) -> dict[str, Member]:
    """The active members of ``tenant_id`` among ``user_ids``, by id; one BatchGetItem (none when empty).
    Call inside the tenant's scope."""
    if not user_ids:
        return {}
    wanted = [MembershipItem(tenant_id=tenant_id, id=user_id) for user_id in sorted(user_ids)]
    for item in wanted:
        item.assign_keys()
    found = Item.batch_get([(item.pk, keys.ENTITY_SK) for item in wanted])
    now = clock.now()
    return {m.id: Member(user_id=m.id, email=m.email, roles=m.roles_at(now)) for m in found
            if isinstance(m, MembershipItem) and m.status == ACTIVE}
