"""What an entry says about a person, sealed under that person's key, so erasing them is destroying the key
(crypto-shredding): the entry stays in the chain, and verifies, while their personal fields no longer open.

The chainer seals an entry's personal fields before it hashes it, so the chain hashes what is stored (the
ciphertext): the name of each reference of a personal type (``PersonalDataProvider.ref_types``: a user, a
customer...) under the key of the id it names, and the metadata of an entry a person did (an actor of a personal
type) under the actor's key. A person's key is made on their first sealed field (``SubjectKeyItem``, itself sealed
under the tenant's data key). A sealed value is ``ps1:<subject id>:<base64 of nonce, ciphertext and tag>``; its
associated data binds it to its tenant, entry, subject and field, so it cannot be moved. A field of a person already
erased is stored empty (a name null, metadata ``{}``).
"""

import base64
import os
from collections.abc import Iterable
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pynamodb.exceptions import PutError

from atrium import manifest
from atrium.audit.models import SubjectKeyItem
from atrium.kernel import clock
from atrium.kernel.store import keys
from atrium.kernel.store.audit import AuditItem, RefAttribute
from atrium.kernel.store.models import Item

PREFIX = "ps1:"
NONCE_BYTES = 12
EMPTY_METADATA = "{}"

# A subject's key, or None once the subject was erased.
Keys = dict[str, bytes | None]


@cache
def personal_ref_types() -> frozenset[str]:
    """The reference types whose names are about a person, as the contexts' providers declare them."""
    return frozenset().union(*(provider.ref_types for provider in manifest.personal_data_providers()))


def seal_entries(tenant_id: str, entries: list[AuditItem]) -> None:
    """Seal the personal fields of pending entries in place (the chainer, before it hashes them)."""
    wanted = {subject for entry in entries for _field, subject, _value in _plain_fields(entry)}
    if not wanted:
        return
    found = _load(tenant_id, wanted)
    for subject in wanted - set(found):
        found[subject] = _create(tenant_id, subject)
    for entry in entries:
        for field, subject, value in list(_plain_fields(entry)):
            key = found[subject]
            _store(entry, field, None if key is None else _seal(key, _associated(entry, subject, field), subject,
                                                                 value))


def destroy(tenant_id: str, subject_ids: Iterable[str]) -> int:
    """Erase the subjects' keys (each left as a tombstone, so a later entry naming them is stored without their
    fields); how many."""
    now, count = clock.now(), 0
    with SubjectKeyItem.batch_write() as batch:
        for subject in sorted(set(subject_ids)):
            batch.save(SubjectKeyItem(tenant_id=tenant_id, id=subject, erased_at=now))
            count += 1
    return count


class Opener:
    """Opens entries' sealed fields, reading each subject's key once (one BatchGetItem for a page of entries)."""

    def __init__(self, tenant_id: str, entries: Iterable[AuditItem] = ()) -> None:
        self.tenant_id = tenant_id
        self._keys: Keys = {}
        self.prefetch(entries)

    def prefetch(self, entries: Iterable[AuditItem]) -> None:
        """Read the keys of the subjects ``entries`` name (a pending entry's names unfolded first)."""
        entries = list(entries)
        for entry in entries:
            entry.unfold()
        wanted = {subject for entry in entries for subject in _sealed_subjects(entry)} - set(self._keys)
        if wanted:
            found = _load(self.tenant_id, wanted)
            self._keys.update({subject: found.get(subject) for subject in wanted})

    def name(self, entry: AuditItem, field: str, ref: RefAttribute) -> str | None:
        """The reference's name as written, or None when its subject was erased."""
        self.prefetch([entry])
        return self._open(entry, field, ref.name)

    def metadata_json(self, entry: AuditItem) -> str:
        self.prefetch([entry])
        return self._open(entry, "metadata", entry.metadata_json) or EMPTY_METADATA

    def _open(self, entry: AuditItem, field: str, stored: str | None) -> str | None:
        if stored is None or not stored.startswith(PREFIX):
            return stored
        subject, _, sealed = stored.removeprefix(PREFIX).partition(":")
        self.prefetch([entry])
        key = self._keys.get(subject)
        if key is None:
            return None
        raw = base64.b64decode(sealed)
        try:
            plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(entry, subject, field))
        except InvalidTag:
            return None  # moved or altered: verification reports the entry; it reads as unreadable
        return plain.decode()


def _refs(entry: AuditItem) -> Iterable[tuple[str, RefAttribute]]:
    yield "actor", entry.actor
    for index, target in enumerate(entry.targets):
        yield f"target:{index}", target


def _fields(entry: AuditItem) -> Iterable[tuple[str, str, str]]:
    """(field, subject id, stored value) of every field of the entry that is about a person."""
    types = personal_ref_types()
    for field, ref in _refs(entry):
        if ref.type in types and ref.name is not None:
            yield field, ref.id, ref.name
    if entry.actor.type in types and entry.metadata_json != EMPTY_METADATA:
        yield "metadata", entry.actor.id, entry.metadata_json


def _plain_fields(entry: AuditItem) -> Iterable[tuple[str, str, str]]:
    return ((field, subject, value) for field, subject, value in _fields(entry) if not value.startswith(PREFIX))


def _sealed_subjects(entry: AuditItem) -> Iterable[str]:
    """The subjects whose keys sealed a field of the entry."""
    stored = [ref.name for _field, ref in _refs(entry)] + [entry.metadata_json]
    return (value.removeprefix(PREFIX).partition(":")[0] for value in stored if value and value.startswith(PREFIX))


def _store(entry: AuditItem, field: str, sealed: str | None) -> None:
    if field == "metadata":
        entry.metadata_json = sealed or EMPTY_METADATA
        return
    refs = dict(_refs(entry))
    refs[field].name = sealed


def _seal(key: bytes, associated: bytes, subject: str, value: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), associated)
    return f"{PREFIX}{subject}:{base64.b64encode(nonce + sealed).decode()}"


def _associated(entry: AuditItem, subject: str, field: str) -> bytes:
    return f"{entry.tenant_id}\0{entry.id}\0{subject}\0{field}".encode()


def _load(tenant_id: str, subjects: set[str]) -> Keys:
    """The subjects' keys that exist (None for an erased one), in one consistent BatchGetItem per 100."""
    wanted = [(keys.entity_pk(tenant_id, SubjectKeyItem.type_name(), subject), keys.ENTITY_SK)
              for subject in sorted(subjects)]
    return {item.id: _key_of(item) for item in Item.batch_get(wanted, consistent_read=True)
            if isinstance(item, SubjectKeyItem)}


def _key_of(item: SubjectKeyItem) -> bytes | None:
    return None if item.key is None else base64.b64decode(item.key)


def _create(tenant_id: str, subject: str) -> bytes | None:
    """A new key for the subject, or the one (or the tombstone) another process wrote first."""
    key = os.urandom(32)
    try:
        SubjectKeyItem(tenant_id=tenant_id, id=subject, key=base64.b64encode(key).decode()).save()
    except PutError:
        return _load(tenant_id, {subject}).get(subject)
    return key
