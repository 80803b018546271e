"""The step between a correct password and tokens when the user has MFA on.

The challenge token is opaque and stored hashed; completing it (``POST /v1/auth/mfa``) opens
the session in the tenant chosen at login.
"""

import secrets

from atrium.identity.models import MfaChallengeItem
from atrium.identity.tokens import token_hash
from atrium.kernel.store.models import expires_in

MFA_TOKEN_PREFIX = "atr_mfa_"
CHALLENGE_SECONDS = 300


def start_mfa_challenge(user_id: str, tenant_id: str) -> str:
    token = MFA_TOKEN_PREFIX + secrets.token_urlsafe(32)
    MfaChallengeItem(natural_key=token_hash(token), user_id=user_id, tenant_id=tenant_id,
                     expires_at=expires_in(CHALLENGE_SECONDS)).save()
    return token
