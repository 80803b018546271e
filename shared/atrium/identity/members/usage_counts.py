"""Seats: what a tenant uses of its plan's seats is its active members (``atrium.manifest.usage_counts``). An
open invitation holds a seat too until it is accepted, revoked or expired, so inviting cannot promise more seats
than the plan has."""

from atrium.billing.api import Limit, require_room
from atrium.identity.members.events import MEMBER_JOINED, MEMBER_REMOVED, MEMBER_UPDATED
from atrium.identity.members.models import InvitationItem
from atrium.identity.models import ACTIVE, MembershipItem
from atrium.kernel import clock
from atrium.kernel.store import keys


def count_active_members(tenant_id: str) -> int:
    """One Query (COUNT) of the tenant's memberships, the active ones."""
    return MembershipItem.gsi1.count(keys.collection_pk(tenant_id, MembershipItem.type_name()),
                                     filter_condition=MembershipItem.status == ACTIVE)


def _count_open_invitations(tenant_id: str) -> int:
    return InvitationItem.gsi1.count(keys.collection_pk(tenant_id, InvitationItem.type_name()),
                                     filter_condition=InvitationItem.valid_until > clock.now())


def require_seat(tenant_id: str, *, accepting: bool = False) -> None:
    """402 when the plan's seats are all taken: by active members, and by open invitations (but when
    ``accepting`` one, whose seat is among them)."""

    def seats_taken() -> int:
        return count_active_members(tenant_id) + (0 if accepting else _count_open_invitations(tenant_id))

    require_room(tenant_id, Limit.SEATS, usage=seats_taken)


USAGE_COUNTS = {Limit.SEATS.value: count_active_members}
# A member joining, removed, or its status changed (active, suspended): billing sets a per-seat subscription's
# quantity to the count, read again.
USAGE_EVENTS = {Limit.SEATS.value: (MEMBER_JOINED.name, MEMBER_UPDATED.name, MEMBER_REMOVED.name)}
