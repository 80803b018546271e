"""Each membership keeps a copy of its user's email address (the members list and the admins' notices read it with
the tenant's other members, in one Query). After an address change the copies are rewritten here, each in its own
tenant's scope and transaction, with an audit entry in that tenant: one transaction cannot hold them all (a unit of
work writes one tenant's keys, and at most 100 items).

The address copied is the user's as read now, not the event's: whichever of two quick changes is handled last, the
copies end as the account's address. A redelivered event finds them done.
"""

from atrium.identity.account.events import EmailChange
from atrium.identity.account.users import user_ref
from atrium.identity.models import MembershipItem, UserItem
from atrium.kernel.errors import NotFound
from atrium.kernel.events.envelope import Envelope
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.tenancy import tenant_scope


def copy_email_to_memberships(event: Envelope) -> None:
    user = UserItem.find(EmailChange.model_validate(event.data).user_id, consistent=True)
    if user is None:
        return
    for tenant_id in user.tenant_ids:
        with tenant_scope(tenant_id):
            _copy(tenant_id, user)


def _copy(tenant_id: str, user: UserItem) -> None:
    try:
        member = MembershipItem.load(tenant_id, user.id, consistent=True)
    except NotFound:
        return  # left the tenant meanwhile
    if member.email == user.email:
        return
    previous, member.email = member.email, user.email
    uow = UnitOfWork(tenant_id, user_ref(user.id))
    uow.save(member)  # a concurrent change of the membership fails this; the event is retried
    uow.record("member.email_changed", subject=user_ref(user.id),
               data={"email": user.email, "previous_email": previous}, emit=False)
    uow.commit()
