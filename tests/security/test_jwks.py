"""The published key set is never empty once a key signs, even when a process read it before the first key."""

import json

import boto3
from fastapi.testclient import TestClient

from atrium.identity import signing_keys
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.secrets import forget_cached_secrets
from atrium_local.provision import Provisioned


def test_a_keyset_read_before_the_first_rotation_does_not_hide_the_first_key(client: TestClient,
                                                                             aws: Provisioned) -> None:
    boto3.client("secretsmanager", region_name=settings().region).put_secret_value(
        SecretId=settings().signing_secret_id, SecretString=json.dumps({"keys": []}))  # a stack before its first key
    forget_cached_secrets()
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}  # read, and cached, before any key
    rotated = signing_keys.rotate(clock.now())

    published = client.get("/.well-known/jwks.json").json()["keys"]

    assert [key["kid"] for key in published] == [rotated["kid"]]
    assert signing_keys.signing_key().kid == rotated["kid"]
