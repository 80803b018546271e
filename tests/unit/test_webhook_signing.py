"""Signatures follow the Standard Webhooks spec: the reference library computes and verifies the same."""

from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from atrium.webhooks import endpoint_secrets, signing

BODY = b'{"type":"member.joined","data":{"user_id":"usr_1"}}'


def test_a_signature_equals_the_reference_librarys() -> None:
    secret = endpoint_secrets.mint()
    at = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    expected = Webhook(secret).sign("msg_1", at, BODY.decode())
    assert signing.headers([secret], "msg_1", at, BODY)["webhook-signature"] == expected


def test_minted_secrets_are_24_random_bytes_in_whsec_form() -> None:
    secret = endpoint_secrets.mint()
    assert secret.startswith("whsec_") and len(endpoint_secrets.key_of(secret)) == 24
    assert secret != endpoint_secrets.mint()


def test_each_live_secret_verifies_and_no_other_does() -> None:
    old, new = endpoint_secrets.mint(), endpoint_secrets.mint()
    now = datetime.now(UTC)
    headers = signing.headers([old, new], "msg_2", now, BODY)
    assert headers["webhook-id"] == "msg_2" and headers["webhook-timestamp"] == str(int(now.timestamp()))
    for secret in (old, new):
        assert Webhook(secret).verify(BODY, headers) is not None
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint_secrets.mint()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(BODY + b" ", headers)
