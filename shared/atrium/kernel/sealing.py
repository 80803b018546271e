"""Values sealed with a key derived from a secret the caller presents and the table never holds.

Whoever can read the table sees only ciphertext; the caller who presents the same secret again
(a spent refresh token, an ``Idempotency-Key``) opens it. ``purpose`` separates the keys that
one secret derives for different uses.
"""

import base64
import hashlib

from cryptography.fernet import Fernet


def sealer(secret: str, *, purpose: str) -> Fernet:
    digest = hashlib.sha256(f"atrium {purpose}\0{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))
