"""Each tenant's data keys: AES-256 keys that KMS generates under the field key (envelope encryption), kept
wrapped (as KMS's ciphertext) in one item per tenant, ``T#<tenant>#DataKeys#<tenant>``, every version of them.

The newest version encrypts; every version decrypts, so a rotation (a new version) leaves what older ones
encrypted readable until it is encrypted again. KMS binds each wrapped key to its tenant and version (the
encryption context), so a wrapped key copied to another tenant's item does not unwrap. A process keeps a
tenant's unwrapped keys for ``field_key_cache_seconds`` or ``field_key_cache_uses`` uses, whichever ends first:
on a warm cache, reading and writing encrypted fields calls neither KMS nor DynamoDB.
"""

import base64
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import boto3
from pynamodb.attributes import JSONAttribute, NumberAttribute
from pynamodb.exceptions import PutError

from atrium.kernel.config import settings
from atrium.kernel.errors import NotFound, PreconditionFailed
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.kernel.ttl_cache import TtlCache


class DataKeysItem(TenantEntity, discriminator="DataKeys"):
    """``id`` is the tenant's id; ``wrapped`` maps each version to its key as KMS wrapped it (base64)."""

    current = NumberAttribute()
    wrapped = JSONAttribute()


@dataclass
class _Held:
    current: int
    wrapped: dict[int, bytes]
    uses_left: int
    unwrapped: dict[int, bytes] = field(default_factory=dict)


@cache
def _held() -> TtlCache[str, _Held]:
    """Each tenant's keys this process holds (made at first use: the settings are read then, not at import)."""
    return TtlCache(settings().field_key_cache_seconds)


def current_key(tenant_id: str) -> tuple[int, bytes]:
    """The tenant's newest key and its version, made on the tenant's first use."""
    held = _hold(tenant_id)
    return held.current, _unwrapped(tenant_id, held, held.current)


def key(tenant_id: str, version: int) -> bytes:
    """The tenant's key of ``version``; KeyError when the tenant has none of that version."""
    held = _hold(tenant_id)
    if version not in held.wrapped:
        held = _hold(tenant_id, fresh=True)  # made since this process read them
    return _unwrapped(tenant_id, held, version)


def rotate(tenant_id: str, uow: UnitOfWork) -> int:
    """A new key version, saved in ``uow`` (versioned: a rotation at the same time fails it rather than lose a
    key; a tenant without keys gets its first). It encrypts from the commit on: this process reads the keys again
    at its next use, others as their cache ends."""
    found = _load(tenant_id)
    version = int(found[0].current) + 1 if found else 1
    wrapped, _ = _generate(tenant_id, version)
    if found is None:
        uow.create(DataKeysItem(tenant_id=tenant_id, id=tenant_id, current=version, wrapped={str(version): wrapped}),
                   conflict=PreconditionFailed("the tenant's data keys changed meanwhile; retry"))
    else:
        item = found[0]
        item.wrapped = {**item.wrapped, str(version): wrapped}
        item.current = version
        uow.save(item)
    _held().forget(tenant_id)
    return version


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


def _hold(tenant_id: str, *, fresh: bool = False) -> _Held:
    held = None if fresh else _held().get(tenant_id)
    if held is None or held.uses_left <= 0:
        held = _from(*(_load(tenant_id) or _create(tenant_id)))
        _held().put(tenant_id, held)
    held.uses_left -= 1
    return held


def _unwrapped(tenant_id: str, held: _Held, version: int) -> bytes:
    if version not in held.unwrapped:
        held.unwrapped[version] = _kms().decrypt(
            CiphertextBlob=held.wrapped[version], KeyId=settings().field_key_id,
            EncryptionContext=_context(tenant_id, version))["Plaintext"]
    return held.unwrapped[version]


def _load(tenant_id: str) -> tuple[DataKeysItem, dict[int, bytes]] | None:
    try:
        return DataKeysItem.load(tenant_id, tenant_id, consistent=True), {}
    except NotFound:
        return None


def _create(tenant_id: str) -> tuple[DataKeysItem, dict[int, bytes]]:
    """The tenant's first key (with it unwrapped, as KMS answered), or the one another process made first."""
    wrapped, plain = _generate(tenant_id, 1)
    item = DataKeysItem(tenant_id=tenant_id, id=tenant_id, current=1, wrapped={"1": wrapped})
    try:
        item.save()  # new: only if the tenant has none (its version attribute does not exist)
    except PutError:
        found = _load(tenant_id)
        if found is None:
            raise
        return found
    return item, {1: plain}


def _generate(tenant_id: str, version: int) -> tuple[str, bytes]:
    """A new data key from KMS: wrapped (base64, to store) and unwrapped."""
    answer = _kms().generate_data_key(KeyId=settings().field_key_id, KeySpec="AES_256",
                                      EncryptionContext=_context(tenant_id, version))
    return base64.b64encode(answer["CiphertextBlob"]).decode(), answer["Plaintext"]


def _from(item: DataKeysItem, unwrapped: dict[int, bytes]) -> _Held:
    return _Held(current=int(item.current), uses_left=settings().field_key_cache_uses, unwrapped=dict(unwrapped),
                 wrapped={int(version): base64.b64decode(wrapped) for version, wrapped in item.wrapped.items()})


def _context(tenant_id: str, version: int) -> dict[str, str]:
    return {"tenant_id": tenant_id, "key_version": str(version)}


@lru_cache(maxsize=1)
def _kms() -> Any:
    return boto3.client("kms", region_name=settings().region)
