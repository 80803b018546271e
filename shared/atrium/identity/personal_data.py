"""What identity holds about a person in a tenant (``PROVIDERS``): their membership (email, roles) and their
sessions (address, user agent).

A subject given by user id is found with one read of its membership; one given by email is found by reading the
tenant's memberships a page at a time (until keyed blind indexes give a lookup by email). Erasure ends their
sessions and membership and takes the tenant off their account's list; the account itself (global, perhaps a
member of other tenants) stays the person's own.
"""

from dataclasses import replace

from atrium.identity.members.owners import ensure_another_owner, holds_ownership
from atrium.identity.models import MembershipItem, SessionItem, TenantItem, UserItem
from atrium.kernel import clock
from atrium.kernel.errors import NotFound
from atrium.kernel.personal_data import Alias, PersonalDataProvider, PersonalRecord, Subject, write_erasure
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item
from atrium.kernel.store.reads import Found

NAME = "identity"


def _member(tenant_id: str, subject: Subject) -> MembershipItem | None:
    if subject.user_id is not None:
        try:
            return MembershipItem.load(tenant_id, subject.user_id, consistent=True)
        except NotFound:
            return None
    listed = MembershipItem.gsi1.query(keys.collection_pk(tenant_id, MembershipItem.type_name()))
    return next((item for item in listed if isinstance(item, MembershipItem) and subject.has_email(item.email)), None)


def identify(tenant_id: str, subject: Subject) -> Subject:
    member = _member(tenant_id, subject)
    if member is None:
        return subject
    return replace(subject, user_id=member.id, email=subject.email or member.email.lower(),
                   aliases=subject.aliases | {Alias("user", member.id)})


def _sessions(tenant_id: str, user_id: str) -> list[SessionItem]:
    listed = SessionItem.gsi1.query(keys.bucketed_collection_pk(tenant_id, SessionItem.type_name(), user_id))
    return [item for item in listed if isinstance(item, SessionItem)]


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    if subject.user_id is None:
        return []
    found: list[PersonalRecord] = []
    try:
        member = MembershipItem.load(tenant_id, subject.user_id, consistent=True)
        found.append(PersonalRecord("member", member.id, {
            "email": member.email, "status": member.status, "roles": list(member.roles_at(clock.now())),
            "joined_at": clock.iso(member.created_at)}))
    except NotFound:
        pass
    found += [PersonalRecord("session", session.id, {
        "ip": session.ip, "user_agent": session.user_agent, "started_at": clock.iso(session.created_at),
        "last_used_at": clock.iso(session.last_used_at) if session.last_used_at else None})
        for session in _sessions(tenant_id, subject.user_id)]
    return found


def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
    """Sessions and membership deleted; an owner only while another owner remains (409 otherwise)."""
    if subject.user_id is None:
        return 0
    found = Found([MembershipItem(tenant_id=tenant_id, id=subject.user_id), TenantItem(tenant_id=tenant_id,
                   id=tenant_id), UserItem(natural_key=subject.user_id)])
    member, tenant, user = found.get(MembershipItem), found.get(TenantItem), found.get(UserItem)
    saves: list[Item] = []
    deletes: list[Item] = list(_sessions(tenant_id, subject.user_id))
    if member is not None:
        if holds_ownership(member) and tenant is not None:
            ensure_another_owner(tenant_id, member.id)
            saves.append(tenant)  # its version moves: a concurrent change of owners fails one of the two
        if user is not None:
            user.tenant_ids = [other for other in user.tenant_ids if other != tenant_id]
            saves.append(user)
        deletes.append(member)
    return write_erasure(tenant_id, NAME, saves=saves, deletes=deletes)


PROVIDERS = [
    PersonalDataProvider(
        name=NAME, description="The person's membership of the tenant (email, roles) and their sessions.",
        identify=identify, find=find, erase=erase, ref_types=frozenset({"user"}),
    ),
]
