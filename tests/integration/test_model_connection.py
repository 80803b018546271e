"""Every model shares one PynamoDB connection, so a function makes one botocore client for the table (and one for
STS, to assume its tenants' sessions)."""

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from atrium.identity.models import TenantItem
from atrium.kernel import ids
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned


def _models(cls: type[Item] = Item) -> Iterator[type[Item]]:
    yield cls
    for subclass in cls.__subclasses__():
        yield from _models(subclass)


def test_a_model_used_before_item_makes_no_client_of_its_own(aws: Provisioned,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for model in _models():
        monkeypatch.setattr(model, "_connection", None)  # as in a fresh process
    created: list[str] = []
    original = botocore.session.Session.create_client

    def counting(self: botocore.session.Session, service_name: str, *args: Any, **kwargs: Any) -> Any:
        created.append(service_name)
        return original(self, service_name, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "create_client", counting)
    for _ in range(2):  # two tenants: the second's session is assumed with the STS client made for the first
        tenant_id = ids.new_id("ten")
        with tenant_scope(tenant_id):
            assert TenantItem.count(f"T#{tenant_id}#Tenant#{tenant_id}") == 0  # a subclass first, as a route does
            assert Item.count(f"T#{tenant_id}#Tenant#{tenant_id}") == 0  # then the base, as a unit of work does
    # The table's client, and the one STS client its tenants' sessions are assumed with (tests/conftest.py gives
    # the suite the tenant data role, as deployed functions have it).
    assert created == ["dynamodb", "sts"]
    assert TenantItem._get_connection() is Item._get_connection()
