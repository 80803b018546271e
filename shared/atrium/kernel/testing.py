"""What a context's ``testing.py`` declares (in its package or a feature folder), so the tests and the bench call
its routes without a registry outside its folder naming it (``manifest.path_ids()`` and the like collect them):

- ``PATH_IDS``: for each path parameter name of its routes, a factory making such a resource in a tenant; the
  route matrices (tests/api/test_route_matrix.py) fill every route's path with them.
- ``BENCH_REQUESTS``: for each of its operations that needs more than a bare request, how the bench and the test
  of the call budgets set one up (tests/support/operation_calls.py).
- ``AWS_CALL_BUDGETS``: its operations allowed more DynamoDB calls than the rule (see ``CallBudget``).

Test code, never deployed: layers/build.sh leaves every ``testing.py``, this one too, out of the Lambda layer, and
only ``testing`` modules import one (tests/unit/test_import_rules.py).
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi.testclient import TestClient

from atrium.kernel.http.routing import RouteSpec


class Owner(Protocol):
    """A tenant's owner, signed in (``Tenant`` in tests/api/conftest.py). The route matrices hand the factories one
    stepped up, so ``auth`` reaches the routes declared ``step_up`` too."""

    @property
    def id(self) -> str:
        """The tenant's id."""
        ...

    @property
    def user_id(self) -> str: ...

    @property
    def auth(self) -> dict[str, str]: ...


IdFactory = Callable[[TestClient, Owner], str]


def created(field: str, path: str, body: dict[str, Any]) -> IdFactory:
    """A factory POSTing ``body`` to ``path`` as the owner: the new resource's ``field``."""

    def create(client: TestClient, owner: Owner) -> str:
        response = client.post(path, json=body, headers=owner.auth)
        assert response.status_code == 201, response.text
        return str(response.json()[field])

    return create


@dataclass(frozen=True)
class Request:
    """What an operation's request needs beyond its method, its path and the fixture owner's token."""

    body: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)  # an Authorization here replaces the fixture's
    path: str | None = None  # the route's path with its parameters filled in


class Fixture(Hashable, Protocol):
    """A signed-up tenant and the test client, what a set-up draws on (tests/support/operation_calls.py). Hashable:
    a set-up may make something once per fixture (``functools.cache``)."""

    client: TestClient
    tenant_id: str
    email: str  # the owner's, who signs in with ``password``
    password: str
    auth: dict[str, str]

    def new_signup(self) -> dict[str, Any]:
        """The body of a signup nobody made yet."""
        ...

    def new_user(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Another tenant's owner, signed up now: the signup's answer and its auth header."""
        ...

    def unique(self, prefix: str) -> str: ...

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST as the owner; the answer's body (an error status raises)."""
        ...

    def step_up(self, auth: dict[str, str] | None = None) -> dict[str, str]:
        """The Authorization header of ``auth``'s session (the owner's by default; every user here signs in with
        ``password``) stepped up now: what the routes declared ``step_up`` need."""
        ...

    def etag(self, path: str) -> str: ...

    def developer_auth(self) -> dict[str, str]:
        """The Authorization header of a plugin developer (one per fixture): the developer realm's routes need it."""
        ...

    def operator_auth(self) -> dict[str, str]:
        """The Authorization header of an operator admin (one per fixture): the operator realm's routes need it."""
        ...


RequestSetup = Callable[[Fixture, RouteSpec], Request]


@dataclass(frozen=True)
class CallBudget:
    """An operation's DynamoDB calls per request above the rule (a read makes at most 1 call; a write makes exactly
    1 TransactWriteItems and no other; a list makes 1 Query per page), and why it needs them.
    tests/integration/test_aws_call_budgets.py holds every operation to the rule or to its budget."""

    dynamodb: int
    why: str
