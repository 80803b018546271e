"""Each tenant's data keys: AES-256 keys that KMS generates under the field key (envelope encryption), kept
wrapped (as KMS's ciphertext) in one item per tenant, ``T#<tenant>#DataKeys#<tenant>``, every version of them; and
the platform's, for global items (``PLATFORM``), in the global item ``G#PlatformKeys#platform``.

The newest version encrypts; every version decrypts, so a rotation (a new version) leaves what older ones
encrypted readable until it is encrypted again. KMS binds each wrapped key to its tenant and version (the
encryption context), so a wrapped key copied to another tenant's item does not unwrap. A process keeps a
tenant's unwrapped keys for ``field_key_cache_seconds`` or ``field_key_cache_uses`` uses, whichever ends first:
on a warm cache, reading and writing encrypted fields calls neither KMS nor DynamoDB.

Beside its data keys, each holder has one blind-index key (``index_key``, for ``blind_index``): made by KMS at its
first use, wrapped and bound to its holder the same way, and never rotated, since an index computed under it must
find the same value next year.
"""

import base64
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import boto3
from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from atrium.kernel.config import settings
from atrium.kernel.errors import Conflict, NotFound, PreconditionFailed
from atrium.kernel.store.models import GlobalEntity, TenantEntity
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.ttl_cache import TtlCache

# The holder of the platform's keys, which seal global items' protected fields and compute their blind indexes.
PLATFORM = "platform"


class _Keys:
    """``wrapped`` maps each version to its key as KMS wrapped it (base64); ``index_key`` is the blind-index key,
    wrapped (none until its first use)."""

    current = NumberAttribute()
    wrapped = JSONAttribute()
    index_key = UnicodeAttribute(null=True)


class DataKeysItem(TenantEntity, _Keys, discriminator="DataKeys"):
    """A tenant's keys; ``id`` is the tenant's id."""


class PlatformKeysItem(GlobalEntity, _Keys, discriminator="PlatformKeys"):
    """The platform's keys; ``natural_key`` is ``PLATFORM``."""


KeysItem = DataKeysItem | PlatformKeysItem


@dataclass
class _Held:
    current: int
    wrapped: dict[int, bytes]
    uses_left: int
    unwrapped: dict[int, bytes] = field(default_factory=dict)
    index_wrapped: bytes | None = None
    index: bytes | None = None


@cache
def _held() -> TtlCache[str, _Held]:
    """Each holder's keys this process holds (made at first use: the settings are read then, not at import)."""
    return TtlCache(settings().field_key_cache_seconds)


def current_key(holder: str) -> tuple[int, bytes]:
    """The newest key of ``holder`` (a tenant's id, or ``PLATFORM``) and its version, made on its first use."""
    held = _hold(holder)
    return held.current, _unwrapped(holder, held, held.current)


def key(holder: str, version: int) -> bytes:
    """The key of ``version``; KeyError when the holder has none of that version."""
    held = _hold(holder)
    if version not in held.wrapped:
        held = _hold(holder, fresh=True)  # made since this process read them
    return _unwrapped(holder, held, version)


def index_key(holder: str) -> bytes:
    """The blind-index key of ``holder``, made on its first use (its data keys too, if it has none yet)."""
    held = _hold(holder)
    if held.index is None:
        if held.index_wrapped is None:
            held = _add_index_key(holder, held)
        if held.index is None:
            assert held.index_wrapped is not None
            held.index = _kms().decrypt(CiphertextBlob=held.index_wrapped, KeyId=settings().field_key_id,
                                        EncryptionContext=_bound(holder, purpose="blind_index"))["Plaintext"]
    return held.index


def rotate(tenant_id: str, uow: UnitOfWork) -> int:
    """A new key version, saved in ``uow`` (versioned: a rotation at the same time fails it rather than lose a
    key; a tenant without keys gets its first). It encrypts from the commit on: this process reads the keys again
    at its first use after the commit (the commit itself may seal with the keys held), others as their cache
    ends. The blind-index key stays."""
    found = _load(tenant_id)
    version = int(found[0].current) + 1 if found else 1
    wrapped, _ = _generate(_context(tenant_id, version))
    if found is None:
        uow.create(_new(tenant_id, version, wrapped),
                   conflict=PreconditionFailed("the tenant's data keys changed meanwhile; retry"))
    else:
        item = found[0]
        item.wrapped = {**item.wrapped, str(version): wrapped}
        item.current = version
        uow.save(item)
    uow.after_commit(lambda: _held().forget(tenant_id))
    return version


def first_key(tenant_id: str, uow: UnitOfWork) -> None:
    """A new tenant's first key, created in ``uow`` (the transaction that creates the tenant: a refused one leaves
    no keys behind) and held at once, so what the same transaction seals uses it."""
    wrapped, plain = _generate(_context(tenant_id, 1))
    item = _new(tenant_id, 1, wrapped)
    uow.create(item, conflict=Conflict("id collision; retry"))
    _held().put(tenant_id, _from(item, {1: plain}))


def destroy(tenant_id: str) -> int:
    """Delete the tenant's keys (every version) and forget them here: whatever they encrypted, wherever it
    lingers (an old backup's copy), can no longer be read. How many items went (0 or 1)."""
    found = _load(tenant_id)
    _held().forget(tenant_id)
    if found is None:
        return 0
    found[0].delete()
    return 1


def forget_held_keys() -> None:
    """Drop every key this process holds (tests: the world they were made in is gone)."""
    _held().clear()


def _hold(holder: str, *, fresh: bool = False) -> _Held:
    held = None if fresh else _held().get(holder)
    if held is None or held.uses_left <= 0:
        held = _from(*(_load(holder) or _create(holder)))
        _held().put(holder, held)
    held.uses_left -= 1
    return held


def _unwrapped(holder: str, held: _Held, version: int) -> bytes:
    if version not in held.unwrapped:
        held.unwrapped[version] = _kms().decrypt(
            CiphertextBlob=held.wrapped[version], KeyId=settings().field_key_id,
            EncryptionContext=_context(holder, version))["Plaintext"]
    return held.unwrapped[version]


def _new(holder: str, version: int, wrapped: str) -> KeysItem:
    if holder == PLATFORM:
        return PlatformKeysItem(natural_key=PLATFORM, current=version, wrapped={str(version): wrapped})
    return DataKeysItem(tenant_id=holder, id=holder, current=version, wrapped={str(version): wrapped})


def _load(holder: str) -> tuple[KeysItem, dict[int, bytes]] | None:
    if holder == PLATFORM:
        found = PlatformKeysItem.find(PLATFORM, consistent=True)
        return None if found is None else (found, {})
    try:
        return DataKeysItem.load(holder, holder, consistent=True), {}
    except NotFound:
        return None


def _create(holder: str) -> tuple[KeysItem, dict[int, bytes]]:
    """The holder's first key (with it unwrapped, as KMS answered), or the one another process made first."""
    wrapped, plain = _generate(_context(holder, 1))
    item = _new(holder, 1, wrapped)
    try:
        item.save()  # new: only if the holder has none (its version attribute does not exist)
    except PutError:
        found = _load(holder)
        if found is None:
            raise
        return found
    return item, {1: plain}


def _add_index_key(holder: str, held: _Held) -> _Held:
    """``held`` again with the holder's index key: a new one, saved only if the holder still has none (one
    UpdateItem, versioned: a rotation meanwhile keeps it), or the one another process saved first."""
    found = _load(holder)
    assert found is not None, "the holder's data keys were made before"
    item, plain = found[0], None
    if item.index_key is None:
        wrapped, plain = _generate(_bound(holder, purpose="blind_index"))
        try:
            item.update(actions=[type(item).index_key.set(wrapped)], condition=type(item).index_key.does_not_exist())
        except UpdateError:  # made meanwhile, or the keys rotated: what is saved now
            found, plain = _load(holder), None
            if found is None or found[0].index_key is None:
                raise PreconditionFailed("the data keys changed while their blind-index key was made; retry") from None
            item = found[0]
    refreshed = _from(item, held.unwrapped)
    refreshed.index = plain
    _held().put(holder, refreshed)
    return refreshed


def _generate(context: dict[str, str]) -> tuple[str, bytes]:
    """A new data key from KMS: wrapped (base64, to store) and unwrapped."""
    answer = _kms().generate_data_key(KeyId=settings().field_key_id, KeySpec="AES_256", EncryptionContext=context)
    return base64.b64encode(answer["CiphertextBlob"]).decode(), answer["Plaintext"]


def _from(item: KeysItem, unwrapped: dict[int, bytes]) -> _Held:
    return _Held(current=int(item.current), uses_left=settings().field_key_cache_uses, unwrapped=dict(unwrapped),
                 wrapped={int(version): base64.b64decode(wrapped) for version, wrapped in item.wrapped.items()},
                 index_wrapped=base64.b64decode(item.index_key) if item.index_key else None)


def _context(holder: str, version: int) -> dict[str, str]:
    return _bound(holder, key_version=str(version))


def _bound(holder: str, **more: str) -> dict[str, str]:
    """The encryption context KMS binds a wrapped key to: its holder, and which key of the holder's it is."""
    return {**({"scope": PLATFORM} if holder == PLATFORM else {"tenant_id": holder}), **more}


@lru_cache(maxsize=1)
def _kms() -> Any:
    return boto3.client("kms", region_name=settings().region)
