from collections.abc import Callable
from typing import Any

import pytest
from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.errors import Conflict, PreconditionFailed
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys
from atrium.kernel.store.models import TenantEntity
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import TenantScopeError, tenant_scope
from tests.support.aws_hook import recording_aws_calls

ACTOR = Ref(type="user", id="usr_1")
Scan = Callable[[], list[dict[str, Any]]]


class Widget(TenantEntity, discriminator="Widget"):
    name = UnicodeAttribute()


def _create(tenant: str, widget_id: str, name: str = "w") -> Widget:
    widget = Widget(tenant_id=tenant, id=widget_id, name=name)
    uow = UnitOfWork(tenant, ACTOR, RequestInfo(ip="10.0.0.1", request_id="req_1"))
    uow.create(widget, conflict=Conflict("widget exists"))
    uow.record("widget.created", subject=Ref(type="widget", id=widget_id), data={"name": name})
    uow.commit()
    return widget


def _entities(items: list[dict[str, Any]]) -> list[str]:
    return sorted(item["entity"]["S"] for item in items if "entity" in item)


def test_entity_audit_and_event_are_one_transaction(aws: Any, table_items: Scan) -> None:
    with tenant_scope("ten_a"):
        data_keys.current_key("ten_a")  # the tenant's first key, which seals its events, made (once per tenant)
        with recording_aws_calls() as calls:
            _create("ten_a", "w1")
    # (and, on the process's first call for this tenant, the AssumeRole of its session)
    assert [f"{call.service}.{call.operation}" for call in calls if call.service != "sts"] == [
        "dynamodb.TransactWriteItems"]
    items = table_items()
    assert _entities(items) == ["Audit", "DataKeys", "Outbox", "Widget"]
    audit = next(i for i in items if i["entity"]["S"] == "Audit")
    assert audit["action"]["S"] == "widget.created"
    assert audit["context"]["M"]["ip"]["S"] == "10.0.0.1"
    assert all(item["pk"]["S"].startswith("T#ten_a#") for item in items)


def test_a_failed_condition_writes_nothing_and_raises_the_declared_error(aws: Any, table_items: Scan) -> None:
    with tenant_scope("ten_a"):
        _create("ten_a", "w1")
        before = len(table_items())
        with pytest.raises(Conflict, match="widget exists"):
            _create("ten_a", "w1")
    assert len(table_items()) == before


def test_a_stale_version_is_refused(aws: Any) -> None:
    with tenant_scope("ten_a"):
        _create("ten_a", "w1")
        first, second = Widget.load("ten_a", "w1"), Widget.load("ten_a", "w1")
        for copy, name in ((first, "one"), (second, "two")):
            copy.name = name
            uow = UnitOfWork("ten_a", ACTOR)
            uow.save(copy)
            uow.record("widget.renamed", subject=Ref(type="widget", id="w1"), data={})
            if copy is first:
                uow.commit()
            else:
                with pytest.raises(PreconditionFailed):
                    uow.commit()
        assert Widget.load("ten_a", "w1").name == "one"


def test_a_change_without_its_audit_entry_cannot_commit(aws: Any) -> None:
    with tenant_scope("ten_a"):
        uow = UnitOfWork("ten_a", ACTOR)
        uow.create(Widget(tenant_id="ten_a", id="w1", name="w"), conflict=Conflict("exists"))
        with pytest.raises(RuntimeError, match="audit"):
            uow.commit()


def test_writing_another_tenants_item_is_refused(aws: Any, table_items: Scan) -> None:
    with tenant_scope("ten_a"), pytest.raises(TenantScopeError):
        _create("ten_b", "w1")
    assert table_items() == []


def _named(tenant: str, widget_id: str, name: str, *, releasing: tuple[str, str] | None = None) -> None:
    uow = UnitOfWork(tenant, ACTOR)
    uow.create(Widget(tenant_id=tenant, id=widget_id, name=name), conflict=Conflict("widget exists"))
    if releasing:
        uow.release_unique("name", releasing[1], owner_id=releasing[0])
    uow.claim_unique("name", name, owner_id=widget_id, conflict=Conflict(f"name {name} is taken"))
    uow.record("widget.created", subject=Ref(type="widget", id=widget_id), data={})
    uow.commit()


def test_a_unique_value_is_claimed_once_per_tenant(aws: Any, table_items: Scan) -> None:
    with tenant_scope("ten_a"):
        _named("ten_a", "w1", "alpha")
        before = len(table_items())
        with pytest.raises(Conflict, match="name alpha is taken"):
            _named("ten_a", "w2", "alpha")
        assert len(table_items()) == before  # not even the second widget was written
    with tenant_scope("ten_b"):
        _named("ten_b", "w1", "alpha")  # another tenant's namespace
    guards = [i["pk"]["S"] for i in table_items() if i["entity"]["S"] == "Unique"]
    assert sorted(guards) == ["T#ten_a#Unique#name#alpha", "T#ten_b#Unique#name#alpha"]


def test_only_the_holder_can_release_a_unique_value(aws: Any) -> None:
    with tenant_scope("ten_a"):
        _named("ten_a", "w1", "alpha")
        with pytest.raises(Conflict, match="not held by w9"):
            _named("ten_a", "w2", "beta", releasing=("w9", "alpha"))
        _named("ten_a", "w2", "beta", releasing=("w1", "alpha"))
        _named("ten_a", "w3", "alpha")  # free again


def test_audit_metadata_is_bounded(aws: Any) -> None:
    with tenant_scope("ten_1"):
        uow = UnitOfWork("ten_1", ACTOR)
        with pytest.raises(ValueError, match="4096 bytes"):
            uow.record("widget.created", subject=Ref(type="widget", id="w1"), data={}, metadata={"x": "y" * 4096})
        uow.record("widget.created", subject=Ref(type="widget", id="w1"), data={}, metadata={"x": "y" * 4000})
