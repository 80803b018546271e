"""The last owner rule: a tenant keeps at least one active member with a permanent owner grant.

An owner grant that expires does not count: it would leave the tenant ownerless by itself.
Racing changes are made safe by the caller: it reads the tenant (consistently) before counting and
saves it, versioned, in the same transaction, so of two requests that each leave one owner, one fails.
"""

from atrium.identity.access.roles import OWNER
from atrium.identity.models import ACTIVE, MembershipItem
from atrium.kernel.errors import Conflict
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item


def holds_ownership(member: MembershipItem) -> bool:
    return member.status == ACTIVE and any(grant.role == OWNER and grant.expires_at is None for grant in member.grants)


def ensure_another_owner(tenant_id: str, leaving_user_id: str) -> None:
    """409 unless an active permanent owner other than ``leaving_user_id`` remains."""
    listed = MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()))
    others = [item for item in listed
              if isinstance(item, MembershipItem) and item.id != leaving_user_id and holds_ownership(item)]
    # The index lags the table: confirm the candidates with consistent reads of their items.
    confirmed = others and Item.batch_get([(item.pk, keys.ENTITY_SK) for item in others], consistent_read=True)
    if not any(isinstance(item, MembershipItem) and holds_ownership(item) for item in confirmed or ()):
        raise Conflict("the tenant must keep an active owner: make another member owner first")
