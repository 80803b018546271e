"""DynamoDB calls per authorizer request, for each kind of credential, with its cache cold and warm.

``authenticate`` is what the Lambda authorizer runs (and the local app in-process). A miss reads live access
in one BatchGetItem (an API token's, then its creator's membership in a GetItem); a hit makes no call. An API
token's last use is written at most every 5 minutes per token, so a request makes that UpdateItem only when the
last recorded use is older. A stepped-up access token shares its session's cached live access: its step-up time
is the token's own, added on every request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient

from atrium.identity.access import token_auth
from atrium.identity.access_state import forget_cached_access
from atrium.identity.authorizer import authenticate
from atrium_local.devserver import local_app
from tests.support.aws_hook import recording_aws_calls
from tests.support.people import PASSWORD
from tests.support.step_up import stepped_up


@dataclass(frozen=True)
class Case:
    credential: str  # "JWT" or "API token"
    cache: str
    prepare: Callable[[], None]


def _nothing() -> None:
    pass


def _last_use_due() -> None:
    token_auth._recent_use.clear()  # as in a process that has not recorded this token's use lately
    forget_cached_access()


CASES = (
    Case("JWT", "miss", forget_cached_access),
    Case("JWT", "hit", _nothing),
    Case("JWT stepped up", "hit (its session's, cached for the other JWT)", _nothing),
    Case("API token", "miss (last use recorded < 5 min ago)", forget_cached_access),
    Case("API token", "hit", _nothing),
    Case("API token", "miss, last use due (at most once per 5 min per token)", _last_use_due),
)


def measure() -> list[dict[str, object]]:
    """One row per case: the credential, the cache state and the DynamoDB operations of one authorization."""
    with TestClient(local_app(), raise_server_exceptions=False) as client:
        signed_up = client.post("/v1/signup", json={"tenant_name": "Bench", "email": "authorizer@bench.example",
                                                    "password": PASSWORD})
        signed_up.raise_for_status()
        jwt = signed_up.json()["access_token"]
        step_up = stepped_up(client, {"Authorization": f"Bearer {jwt}"})
        created = client.post("/v1/api-tokens", json={"name": "Bench", "scopes": ["tenant:read"]}, headers=step_up)
        created.raise_for_status()
        credentials = {"JWT": jwt, "JWT stepped up": step_up["Authorization"].removeprefix("Bearer "),
                       "API token": created.json()["secret"]}
        for credential in credentials.values():
            authenticate(f"Bearer {credential}")  # warm the process (signing keys) and record the token's use
        rows: list[dict[str, object]] = []
        for case in CASES:
            case.prepare()
            with recording_aws_calls() as calls:
                authenticate(f"Bearer {credentials[case.credential]}")
            rows.append({"credential": case.credential, "cache": case.cache,
                         "dynamodb": [call.operation for call in calls if call.service == "dynamodb"]})
    return rows
