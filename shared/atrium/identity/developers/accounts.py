"""Developer accounts: registration with email verification, then API keys.

``register`` answers the same whether or not the address is known (it never tells who is a developer): a new or
still-pending address gets a verification link by email (24 hours; a new request replaces the link), an active
one nothing. ``verify`` activates the account and answers its first API key, shown once. An active developer makes
more keys (at most ``MAX_KEYS``) and revokes them. Each change is audited in the platform's log."""

from atrium.identity.developers.key_secrets import mint, shown
from atrium.identity.developers.models import (
    ACTIVE,
    MAX_KEYS,
    PENDING,
    DeveloperEmailItem,
    DeveloperItem,
    DeveloperKeyItem,
    DeveloperVerificationItem,
    KeyRecord,
    email_index,
)
from atrium.identity.developers.schemas import DeveloperOut, DeveloperRegistration, KeyOut, NewKey, Verified
from atrium.identity.tokens import token_hash
from atrium.kernel import clock, ids
from atrium.kernel.errors import Conflict, NotFound, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.models import expires_in
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import PLATFORM_TENANT_ID, Principal, tenant_scope
from atrium.mail.api import Category, Email, send_email

VERIFICATION_SECONDS = 24 * 3600
ACCEPTED = "if this address may register, a verification link is on its way to it"


def _uow(actor: Ref, info: RequestInfo) -> UnitOfWork:
    return UnitOfWork(PLATFORM_TENANT_ID, actor, info)


def register(body: DeveloperRegistration, info: RequestInfo, web_url: str) -> str:
    email = str(body.email).lower()
    claimed = DeveloperEmailItem.find(email_index(email), consistent=True)
    developer = DeveloperItem.find(claimed.developer_id, consistent=True) if claimed else None
    if developer is not None and developer.status != PENDING:
        return ACCEPTED
    token = mint()
    with tenant_scope(PLATFORM_TENANT_ID):
        if developer is None:
            developer = DeveloperItem(natural_key=ids.new_id("dev"), email=email, name=body.name)
        uow = _uow(Ref(type="developer", id=developer.id), info)
        earlier, developer.verification_hash = developer.verification_hash, token_hash(token)
        if claimed is None:
            uow.create(developer, conflict=Conflict("id collision; retry"))
            uow.create(DeveloperEmailItem.of(email, developer.id),
                       conflict=Conflict("a registration of this address is under way; try again"))
        else:  # a new link replaces the earlier one
            uow.save(developer)
            if earlier:
                uow.discard(DeveloperVerificationItem(natural_key=earlier, developer_id=developer.id))
        uow.create(DeveloperVerificationItem(natural_key=token_hash(token), developer_id=developer.id,
                                             expires_at=expires_in(VERIFICATION_SECONDS)),
                   conflict=Conflict("token collision; retry"))
        uow.record("developer.registration_requested", subject=Ref(type="developer", id=developer.id), data={},
                   emit=False)
        uow.commit()
        # The platform's mail (its branding), as no tenant's.
        send_email(Email(to=email, template="one_time_link", category=Category.SECURITY, context={
            "action": "Verify your developer account",
            "intro": "Someone (we hope you) registered this address as an Atrium plugin developer.",
            "link": f"{web_url}/developers/verify#token={token}", "lifetime": "24 hours"}))
    return ACCEPTED


def _new_key(developer: DeveloperItem) -> tuple[NewKey, DeveloperKeyItem]:
    secret = mint()
    record = KeyRecord(id=ids.new_id("dky"), shown=shown(secret), key_hash=token_hash(secret),
                       created_at=clock.iso(clock.now()))
    developer.set_api_keys([*developer.api_keys(), record])
    item = DeveloperKeyItem(natural_key=record.key_hash, id=record.id, developer_id=developer.id)
    return NewKey(id=record.id, shown=record.shown, created_at=record.created_at, secret=secret), item


def developer_out(developer: DeveloperItem) -> DeveloperOut:
    return DeveloperOut(id=developer.id, email=developer.email, name=developer.name, status=developer.status,
                        keys=[KeyOut(id=key.id, shown=key.shown, created_at=key.created_at)
                              for key in developer.api_keys()])


def verify(token: str, info: RequestInfo) -> Verified:
    pending = DeveloperVerificationItem.find(token_hash(token), consistent=True)
    developer = DeveloperItem.find(pending.developer_id, consistent=True) if pending else None
    if (pending is None or developer is None or developer.status != PENDING
            or developer.verification_hash != pending.natural_key
            or (pending.expires_at and pending.expires_at <= clock.now())):
        raise Unprocessable("the link is unknown or expired: register again for a new one", errors=[{
            "field": "body.token", "message": "unknown or expired", "code": "unknown_token"}])
    developer.status, developer.verified_at, developer.verification_hash = ACTIVE, clock.now(), None
    key, key_item = _new_key(developer)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(Ref(type="developer", id=developer.id), info)
        uow.save(developer)
        uow.create(key_item, conflict=Conflict("key collision; retry"))
        uow.discard(pending)
        uow.record("developer.verified", subject=Ref(type="developer", id=developer.id), data={}, emit=False)
        uow.commit()
    return Verified(developer=developer_out(developer), key=key)


def current(principal: Principal) -> DeveloperItem:
    found = DeveloperItem.find(principal.id, consistent=True)
    if found is None:
        raise NotFound("the developer account is gone")
    return found


def create_key(principal: Principal, info: RequestInfo) -> NewKey:
    developer = current(principal)
    if len(developer.api_keys()) >= MAX_KEYS:
        raise Conflict(f"a developer holds at most {MAX_KEYS} keys: revoke one first")
    key, key_item = _new_key(developer)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(Ref(type="developer", id=developer.id), info)
        uow.save(developer)
        uow.create(key_item, conflict=Conflict("key collision; retry"))
        uow.record("developer.key_created", subject=Ref(type="developer_key", id=key.id), data={}, emit=False)
        uow.commit()
    return key


def revoke_key(principal: Principal, key_id: str, info: RequestInfo) -> None:
    developer = current(principal)
    kept = [key for key in developer.api_keys() if key.id != key_id]
    revoked = [key for key in developer.api_keys() if key.id == key_id]
    if not revoked:
        raise NotFound(f"key {key_id} not found")
    developer.set_api_keys(kept)
    with tenant_scope(PLATFORM_TENANT_ID):
        uow = _uow(Ref(type="developer", id=developer.id), info)
        uow.save(developer)
        uow.discard(DeveloperKeyItem(natural_key=revoked[0].key_hash, id=key_id, developer_id=developer.id))
        uow.record("developer.key_revoked", subject=Ref(type="developer_key", id=key_id), data={}, emit=False)
        uow.commit()
