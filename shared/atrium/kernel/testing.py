"""What a context's ``testing.py`` declares (in its package or a feature folder), so the tests call its routes
without a registry outside its folder naming it (``manifest.path_ids()`` collects them):

- ``PATH_IDS``: for each path parameter name of its routes, a factory making such a resource in a tenant; the
  route matrices (tests/api/test_route_matrix.py) fill every route's path with them.

Test code, never deployed: layers/build.sh leaves every ``testing.py``, this one too, out of the Lambda layer, and
only ``testing`` modules import one (tests/unit/test_import_rules.py).
"""

from collections.abc import Callable
from typing import Any, Protocol

from fastapi.testclient import TestClient


class Owner(Protocol):
    """A tenant's owner, signed in (``Tenant`` in tests/api/conftest.py)."""

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
