"""The authorizer's DynamoDB calls per request (tests/support/authorizer_calls.py): none on a cache hit (a stepped-up
token shares its session's), one BatchGetItem on a miss (and for an API token the GetItem of its creator's
membership, which bounds what it may do), plus an API token's last-use UpdateItem only when it is due."""

from atrium_local.provision import Provisioned
from tests.support.authorizer_calls import CASES, measure


def test_authorizer_calls_per_credential_and_cache_state(aws: Provisioned) -> None:
    rows = measure()
    assert [(row["credential"], row["cache"]) for row in rows] == [(case.credential, case.cache) for case in CASES]
    assert [row["dynamodb"] for row in rows] == [
        ["BatchGetItem"],  # JWT miss
        [],  # JWT hit
        [],  # stepped-up JWT of the same session: a hit too
        ["BatchGetItem", "GetItem"],  # API token miss, last use recorded lately
        [],  # API token hit
        ["BatchGetItem", "GetItem", "UpdateItem"],  # API token miss, last use due
    ]
