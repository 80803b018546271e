"""Personal and secret attributes (``protection``) stored as AES-256-GCM ciphertext under the tenant's data key
(``data_keys``; a global item's under the platform's), as ``fe1:<key version>:<base64 of nonce, ciphertext and
tag>``.

The associated data is the item's key and the attribute's name, so a ciphertext copied to another attribute, item
or tenant does not decrypt. ``Item`` seals an item's protected attributes as it serializes it and opens them as it
reads one: callers see plaintext, the table and its stream only ciphertext. A value stored before its attribute was
protected reads as it is until it is written again.
"""

import base64
import os
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pynamodb.models import Model

from atrium.kernel.errors import AtriumError
from atrium.kernel.store.protection import protected

PREFIX = "fe1:"
NONCE_BYTES = 12

Values = dict[str, dict[str, Any]]


class UnreadableField(AtriumError):
    """A protected value that does not decrypt under its item's key: moved from elsewhere, or altered."""


def seal_fields(model: type[Model], values: Values) -> Values:
    """``values`` (an item as serialized) with the model's protected attributes encrypted."""
    names = [name for name in protected(model) if name in values]
    if not names:
        return values
    holder, pk, sk = _owner(values)
    version, key = _data_keys().current_key(holder)
    cipher = AESGCM(key)
    for name in names:
        nonce = os.urandom(NONCE_BYTES)
        sealed = cipher.encrypt(nonce, values[name]["S"].encode(), _associated(pk, sk, name))
        values[name] = {"S": f"{PREFIX}{version}:{base64.b64encode(nonce + sealed).decode()}"}
    return values


def open_fields(model: type[Model], values: Values) -> Values:
    """``values`` (an item as read) with the model's protected attributes decrypted (a copy; ``values`` itself
    when it holds none)."""
    names = [name for name in protected(model) if values.get(name, {}).get("S", "").startswith(PREFIX)]
    if not names:
        return values
    opened = dict(values)
    holder, pk, sk = _owner(opened)
    ciphers: dict[str, AESGCM] = {}  # by key version: one use of the tenant's keys per item
    for name in names:
        version, _, sealed = opened[name]["S"].removeprefix(PREFIX).partition(":")
        raw = base64.b64decode(sealed)
        try:
            if version not in ciphers:
                ciphers[version] = AESGCM(_data_keys().key(holder, int(version)))
            plain = ciphers[version].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(pk, sk, name))
        except (InvalidTag, KeyError, ValueError) as error:
            raise UnreadableField(f"{name} of {pk} does not decrypt under its holder's key") from error
        opened[name] = {"S": plain.decode()}
    return opened


def sealed_versions(model: type[Model], values: Mapping[str, dict[str, Any]]) -> set[int]:
    """The key versions that sealed the item's protected attributes (``values`` as stored)."""
    return {int(stored.removeprefix(PREFIX).partition(":")[0]) for name in protected(model)
            if (stored := values.get(name, {}).get("S", "")).startswith(PREFIX)}


def _owner(values: Mapping[str, dict[str, Any]]) -> tuple[str, str, str]:
    """Whose keys seal the item (its tenant's for ``T#<tenant>#...``, the platform's for a global ``G#...``), its
    pk and sk."""
    pk, sk = values["pk"]["S"], values["sk"]["S"]
    if pk.startswith("T#"):
        return pk.split("#", 2)[1], pk, sk
    if pk.startswith("G#"):
        return _data_keys().PLATFORM, pk, sk
    raise TypeError(f"{pk}: only a tenant's or a global item can hold protected attributes")


def _associated(pk: str, sk: str, name: str) -> bytes:
    return f"{pk}\0{sk}\0{name}".encode()


def _data_keys() -> Any:
    """``data_keys`` (imported at first use: its item is a model, and models seal with this module)."""
    from atrium.kernel.store import data_keys

    return data_keys
