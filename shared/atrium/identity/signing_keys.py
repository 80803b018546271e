"""JWT signing keys (Ed25519) kept as one JSON keyset in Secrets Manager.

Rotation publishes a new key first and signs with it only once every verifier has seen it:
signers use the newest key older than the secret cache TTL. Old keys stay published for
``signing_key_retention_seconds`` (far longer than an access token lives), and the key that
was signing before a rotation is always kept, so JWKS holds every key that may have signed a
live token.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import boto3
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.errors import Unavailable
from atrium.kernel.secrets import read_secret

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    created_at: int

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(self.public_key, as_dict=True)
        return jwk | {"kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def to_json(self) -> dict[str, Any]:
        pem = self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption())
        return {"kid": self.kid, "private_key": pem.decode(), "created_at": self.created_at}


@lru_cache(maxsize=4)
def _parse(secret: str) -> tuple[SigningKey, ...]:
    keys = []
    for entry in json.loads(secret).get("keys", []):
        private_key = serialization.load_pem_private_key(entry["private_key"].encode(), password=None)
        assert isinstance(private_key, Ed25519PrivateKey)
        keys.append(SigningKey(entry["kid"], private_key, int(entry["created_at"])))
    return tuple(sorted(keys, key=lambda k: k.created_at, reverse=True))


def keyset(*, fresh: bool = False) -> tuple[SigningKey, ...]:
    """All published keys, newest first. An empty cached keyset may predate the first rotation, so it is read
    again: once a key signs, the published set is never empty."""
    keys = _parse(read_secret(settings().signing_secret_id, fresh=fresh))
    return keys if keys or fresh else keyset(fresh=True)


def signing_key() -> SigningKey:
    keys = keyset()
    if not keys:
        raise Unavailable("no signing key yet: run the job identity.rotate_signing_keys")
    published_before = clock.epoch() - settings().secret_cache_seconds
    return next((k for k in keys if k.created_at <= published_before), keys[-1])


def key_by_id(kid: str) -> SigningKey | None:
    return next((k for k in keyset() if k.kid == kid), None)


def rotate(at: datetime) -> dict[str, Any]:
    """Publish a new key and drop keys past retention (never the one signing until now)."""
    now = int(at.timestamp())
    current = keyset(fresh=True)
    new = SigningKey(ids.new_id("key"), Ed25519PrivateKey.generate(), now)
    kept = [k for i, k in enumerate(current) if i == 0 or now - k.created_at < settings().signing_key_retention_seconds]
    boto3.client("secretsmanager", region_name=settings().region).put_secret_value(
        SecretId=settings().signing_secret_id,
        SecretString=json.dumps({"keys": [k.to_json() for k in [new, *kept]]}),
    )
    return {"kid": new.kid, "published": 1 + len(kept), "dropped": len(current) - len(kept)}
