from datetime import UTC, datetime
from typing import Any

import jwt

from atrium.identity import signing_keys
from atrium.identity.tokens import issue_access_token, verify_access_token
from atrium.kernel import clock
from atrium.kernel.config import settings

DAY = 86400


def test_rotation_publishes_before_signing(aws: Any) -> None:
    first = signing_keys.signing_key()
    with clock.frozen(datetime.now(UTC)) as advance:
        signing_keys.rotate(clock.now())
        newest = signing_keys.keyset(fresh=True)[0]
        assert newest.kid != first.kid
        # Verifiers may still hold the old keyset: keep signing with the old key for now.
        assert signing_keys.signing_key().kid == first.kid
        advance(settings().secret_cache_seconds + 1)
        assert signing_keys.signing_key().kid == newest.kid


def test_tokens_signed_before_a_rotation_still_verify(aws: Any) -> None:
    token = issue_access_token(user_id="usr_1", tenant_id="ten_1", session_id="ses_1")
    signing_keys.rotate(clock.now())
    signing_keys.keyset(fresh=True)
    assert verify_access_token(token)["tid"] == "ten_1"


def test_retention_drops_old_keys_but_keeps_the_previous_signer(aws: Any) -> None:
    start = datetime.now(UTC)
    with clock.frozen(start) as advance:
        for _ in range(4):
            advance(7 * DAY)
            signing_keys.rotate(clock.now())
        kids = [k.kid for k in signing_keys.keyset(fresh=True)]
    # Weekly rotation with 2-day retention: the newest and the one signing until it.
    assert len(kids) == 2


def test_jwks_verifies_issued_tokens(aws: Any) -> None:
    token = issue_access_token(user_id="usr_1", tenant_id="ten_1", session_id="ses_1")
    jwks = {"keys": [k.public_jwk() for k in signing_keys.keyset()]}
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWKSet.from_dict(jwks)[kid]
    claims = jwt.decode(token, key.key, algorithms=["EdDSA"], audience="atrium-api")
    assert claims["sub"] == "usr_1"
