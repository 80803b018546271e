"""Keyed blind indexes: how a value whose attribute is encrypted (``field_encryption``) is still found, by equality,
without the table ever holding it in the clear (an email that signs in, a phone that dedupes customers).

The index is HMAC-SHA256 of the normalized value under the holder's index key (``data_keys.index_key``: a
tenant's for its items, the platform's for global ones), with the field's name mixed in, so an email's index
matches the same email in the same tenant and field only: another tenant's index of it differs, and the index
of one field tells nothing about another's. Without the key the index cannot be computed from a guessed value,
so a copy of the table gives no dictionary attack on it (a plain hash would: emails are guessable).

Truncated to 128 bits (22 base64url characters, no ``#``: it may be a key part). The collision trade-off: a
shorter index (a few bytes) would map many values to each index, so a leaked table would tell less about which
values are equal, but then every lookup finds candidates to decrypt and compare, and an index could not be a
unique key. The indexes here are unique keys (one account per email, one open invitation per address), so they
are kept long enough that two values colliding is beyond reach (about 2^64 values before an even chance) and equal
indexes can be taken as equal values; they tell an observer of the table which items share a value, nothing more.
"""

import base64
import hashlib
import hmac
import unicodedata

from atrium.kernel.store import data_keys
from atrium.kernel.store.data_keys import PLATFORM

PREFIX = "bi1."
DIGEST_BYTES = 16


def normalized(value: str) -> str:
    """What two spellings of one value have in common: Unicode NFKC, outer spaces off, case folded."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def blind_index(field: str, value: str, *, tenant_id: str | None) -> str:
    """The index of ``value`` (normalized) in ``field``, under the key of ``tenant_id`` (call inside its scope),
    or the platform's for a global item's (``tenant_id=None``)."""
    key = data_keys.index_key(tenant_id or PLATFORM)
    digest = hmac.new(key, f"{field}\0{normalized(value)}".encode(), hashlib.sha256).digest()[:DIGEST_BYTES]
    return PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
