"""Developers and their API keys: global (a developer belongs to no tenant), a developer found by id or by their
email's blind index (a guard item of its own), a key by its secret's SHA-256, a pending verification by its
token's."""

import json
from typing import Self

from pydantic import BaseModel
from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from atrium.kernel.store.blind_index import blind_index
from atrium.kernel.store.models import GlobalEntity
from atrium.kernel.store.protection import credential, personal

PENDING, ACTIVE, DISABLED = "pending", "active", "disabled"
# The index's field: a developer's address is indexed apart from users' and operators' (one person may be all).
EMAIL = "developer_email"
MAX_KEYS = 10


def email_index(email: str) -> str:
    return blind_index(EMAIL, email, tenant_id=None)


class KeyRecord(BaseModel):
    id: str
    shown: str  # what the API shows of the secret
    key_hash: str  # the key item's natural key
    created_at: str


class DeveloperItem(GlobalEntity, discriminator="Developer"):
    """``natural_key``: its id (``dev_...``), what keys, listings and audit entries name; the email, lower case,
    encrypted under the platform's key. Its keys as JSON (at most ``MAX_KEYS``)."""

    email = personal(UnicodeAttribute())
    name = personal(UnicodeAttribute())
    status = UnicodeAttribute(default=PENDING)
    verified_at = UTCDateTimeAttribute(null=True)
    verification_hash = credential(UnicodeAttribute(null=True))  # the one live verification link's
    keys_json = UnicodeAttribute(default="[]")

    @property
    def id(self) -> str:
        return self.natural_key

    def api_keys(self) -> list[KeyRecord]:
        return [KeyRecord.model_validate(key) for key in json.loads(self.keys_json)]

    def set_api_keys(self, keys: list[KeyRecord]) -> None:
        self.keys_json = json.dumps([key.model_dump() for key in keys])


class DeveloperEmailItem(GlobalEntity, discriminator="DeveloperEmail"):
    """One per address (``natural_key``: its blind index): an address registers once."""

    developer_id = UnicodeAttribute()

    @classmethod
    def of(cls, email: str, developer_id: str) -> Self:
        return cls(natural_key=email_index(email), developer_id=developer_id)


class DeveloperKeyItem(GlobalEntity, discriminator="DeveloperKey"):
    """``natural_key``: the SHA-256 of the secret (only the hash is kept); the developer it opens."""

    id = UnicodeAttribute()
    developer_id = UnicodeAttribute()


class DeveloperVerificationItem(GlobalEntity, discriminator="DeveloperVerification"):
    """A pending email verification: ``natural_key`` is the SHA-256 of the emailed token; gone at ``expires_at``."""

    developer_id = UnicodeAttribute()
