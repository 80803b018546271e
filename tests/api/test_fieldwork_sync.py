"""Fieldwork field sync: a tester's device gets its open work orders with their assemblies, sites and last signed
reports, each change once (a quiet sync sends nothing, a later change comes again, a change stamped by a clock
behind still comes), the orders it must drop, pages, and only its own orders; the writes from the field replay by
their Idempotency-Key without doing anything twice, and a stale one is a 412."""

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.sync import service
from atrium.apps.fieldwork.testing import (
    NEW_CERTIFICATION,
    NEW_CUSTOMER,
    NEW_DISTRICT,
    NEW_SITE,
    PASSING_RP,
    new_assembly,
    new_gauge,
)
from atrium.apps.fieldwork.workorders.testing import moved, new_work_order, schedule_body
from atrium.kernel import clock
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member

ROOT = "/v1/fieldwork"
SYNC = f"{ROOT}/sync"
ORDERS = f"{ROOT}/work-orders"


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _ids(records: list[dict[str, Any]]) -> list[str]:
    return sorted(record["id"] for record in records)


class Field:
    """A customer's site with an RP and a DC assembly, and a certified tester with a gauge."""

    def __init__(self, client: TestClient, owner: Tenant) -> None:
        self.client, self.owner = client, owner
        customer = _post(client, owner.auth, "/customers", NEW_CUSTOMER)
        self.customer_id = customer["id"]
        self.site = _post(client, owner.auth, f"/customers/{self.customer_id}/sites", NEW_SITE)
        district = _post(client, owner.auth, "/districts", NEW_DISTRICT)
        self.assembly_ids = [_post(client, owner.auth, f"/sites/{self.site['id']}/assemblies",
                                   new_assembly(district["id"], type=kind))["id"] for kind in ("RP", "DC")]
        self.tester = self.new_tester()
        self.gauge_id = _post(client, owner.auth, "/gauges", new_gauge())["id"]

    def new_tester(self) -> Member:
        tester = add_member(self.owner.id, "tester")
        _post(self.client, self.owner.auth, "/certifications", NEW_CERTIFICATION | {"user_id": tester.user_id})
        return tester

    def order(self, tester: Member | None = None, assembly_ids: list[str] | None = None) -> str:
        """A new order of the assemblies (both), scheduled for ``tester`` (the tester)."""
        assembly_ids = assembly_ids or self.assembly_ids
        body = new_work_order(self.customer_id, assembly_ids[0]) | {"assembly_ids": assembly_ids}
        order_id = _post(self.client, self.owner.auth, "/work-orders", body)["id"]
        moved(self.client, self.owner.auth, order_id, "schedule", schedule_body((tester or self.tester).user_id))
        return str(order_id)

    def sync(self, since: str | None = None, tester: Member | None = None) -> dict[str, Any]:
        response = self.client.get(SYNC, params={"since": since} if since else {},
                                   headers=(tester or self.tester).auth)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def report(self, assembly_id: str, **headers: str) -> Any:
        body = {"gauge_id": self.gauge_id, "tested_on": clock.now().date().isoformat(), "readings": PASSING_RP}
        return self.client.post(f"{ROOT}/assemblies/{assembly_id}/reports", json=body,
                                headers=self.tester.auth | headers)


def _nothing(synced: dict[str, Any]) -> bool:
    return not any(synced[kind] for kind in ("work_orders", "assemblies", "sites", "reports", "removed"))


def test_a_change_appears_once(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    order_id = field.order()
    first = field.sync()
    assert _ids(first["work_orders"]) == [order_id]
    assert _ids(first["assemblies"]) == sorted(field.assembly_ids)
    assert _ids(first["sites"]) == [field.site["id"]]
    assert first["reports"] == [] and first["removed"] == [] and first["has_more"] is False
    order = first["work_orders"][0]
    assert order["status"] == "scheduled" and order["etag"] == client.get(f"{ORDERS}/{order_id}",
                                                                          headers=field.tester.auth).headers["etag"]
    quiet = field.sync(first["next_cursor"])
    assert _nothing(quiet)
    assert _nothing(field.sync(quiet["next_cursor"]))


def test_an_update_after_the_cursor_appears_again(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    field.order()
    cursor = field.sync()["next_cursor"]
    site_path = f"{ROOT}/sites/{field.site['id']}"
    etag = client.get(site_path, headers=tenant_a.auth).headers["etag"]
    changed = client.patch(site_path, json={"access_notes": "Gate code 5521"},
                           headers=tenant_a.auth | {"If-Match": etag})
    assert changed.status_code == 200
    again = field.sync(cursor)
    assert [site["access_notes"] for site in again["sites"]] == ["Gate code 5521"]
    assert again["sites"][0]["etag"] == changed.headers["etag"]
    assert again["work_orders"] == again["assemblies"] == []  # unchanged: not sent again
    assert _nothing(field.sync(again["next_cursor"]))


def test_a_change_stamped_by_a_clock_behind_the_sync_still_appears(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    field.order()
    with clock.frozen(clock.now() + dt.timedelta(minutes=1)):  # the sync's clock a minute ahead of the writer's
        cursor = field.sync()["next_cursor"]
    site_path = f"{ROOT}/sites/{field.site['id']}"
    etag = client.get(site_path, headers=tenant_a.auth).headers["etag"]
    assert client.patch(site_path, json={"access_notes": "Dog on site"},
                        headers=tenant_a.auth | {"If-Match": etag}).status_code == 200  # stamped before the sync
    assert [site["access_notes"] for site in field.sync(cursor)["sites"]] == ["Dog on site"]


def test_a_signed_report_comes_with_its_assembly(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    field.order()
    cursor = field.sync()["next_cursor"]
    report = field.report(field.assembly_ids[0]).json()
    draft = field.sync(cursor)
    assert draft["reports"] == []  # a draft is the device's own until signed
    signed = client.post(f"{ROOT}/reports/{report['id']}/sign", headers=field.tester.auth)
    assert signed.status_code == 200
    synced = field.sync(draft["next_cursor"])
    assert [(r["id"], r["status"], r["etag"]) for r in synced["reports"]] == [(report["id"], "signed",
                                                                               signed.headers["etag"])]
    assert [(a["id"], a["last_test_date"]) for a in synced["assemblies"]] == [(field.assembly_ids[0],
                                                                              report["tested_on"])]
    assert _nothing(field.sync(synced["next_cursor"]))


def test_orders_no_longer_the_testers_are_removed_and_others_are_not_shown(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    other = field.new_tester()
    kept, reassigned, canceled, completed = (field.order() for _ in range(4))
    theirs = field.order(other)
    first = field.sync()
    assert _ids(first["work_orders"]) == sorted([kept, reassigned, canceled, completed])  # not the other's
    moved(client, tenant_a.auth, reassigned, "schedule", schedule_body(other.user_id))
    moved(client, tenant_a.auth, canceled, "cancel")
    moved(client, field.tester.auth, completed, "start")
    moved(client, field.tester.auth, completed, "complete")
    after = field.sync(first["next_cursor"])
    assert sorted(after["removed"]) == sorted([reassigned, canceled, completed])
    assert after["work_orders"] == []
    assert _nothing(field.sync(after["next_cursor"]))
    theirs_now = field.sync(tester=other)
    assert _ids(theirs_now["work_orders"]) == sorted([theirs, reassigned])


def test_a_started_order_stays_and_comes_again(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    order_id = field.order()
    cursor = field.sync()["next_cursor"]
    started = moved(client, field.tester.auth, order_id, "start")
    synced = field.sync(cursor)
    assert [(o["id"], o["status"]) for o in synced["work_orders"]] == [(order_id, started["status"])]
    assert _ids(synced["assemblies"]) == sorted(field.assembly_ids)  # a changed order comes whole
    assert synced["removed"] == []


def test_a_long_sync_goes_on_in_pages(client: TestClient, tenant_a: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    field = Field(client, tenant_a)
    first_assembly, second_assembly = field.assembly_ids
    orders = [field.order(assembly_ids=[assembly_id]) for assembly_id in (first_assembly, second_assembly,
                                                                          first_assembly)]
    monkeypatch.setattr(service, "PAGE_ASSEMBLIES", 1)  # a page ends before the order that would pass it
    pages = [field.sync()]
    while pages[-1]["has_more"]:
        pages.append(field.sync(pages[-1]["next_cursor"]))
    assert [_ids(page["work_orders"]) for page in pages] == [[order_id] for order_id in orders]
    # Each record once, with the first order that names it.
    assert [_ids(page["assemblies"]) for page in pages] == [[first_assembly], [second_assembly], []]
    assert [len(page["sites"]) for page in pages] == [1, 0, 0]
    moved(client, tenant_a.auth, orders[0], "cancel")
    first = field.sync(pages[-1]["next_cursor"])
    assert first["has_more"] is True and first["removed"] == []  # known once every page is read
    last = field.sync(first["next_cursor"])
    assert last["has_more"] is False and last["removed"] == [orders[0]]
    assert first["work_orders"] == last["work_orders"] == []


def test_a_sync_is_the_callers_own(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    field.order()
    cursor = field.sync()["next_cursor"]
    other = field.new_tester()
    response = client.get(SYNC, params={"since": cursor}, headers=other.auth)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "query.since"
    assert client.get(SYNC, params={"since": "nonsense"}, headers=field.tester.auth).status_code == 400
    empty = client.get(SYNC, headers=tenant_a.auth).json()  # the owner does no visit
    assert _nothing(empty) and empty["has_more"] is False
    dispatcher = add_member(tenant_a.id, "dispatcher")
    assert client.get(SYNC, headers=dispatcher.auth).status_code == 403


def test_a_replayed_field_write_creates_nothing(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    order_id = field.order()
    assembly_id = field.assembly_ids[0]
    first = field.report(assembly_id, **{"Idempotency-Key": "upload-1"})
    replay = field.report(assembly_id, **{"Idempotency-Key": "upload-1"})
    assert first.status_code == replay.status_code == 201
    assert replay.headers["idempotent-replayed"] == "true" and replay.json()["id"] == first.json()["id"]
    reports = client.get(f"{ROOT}/assemblies/{assembly_id}/reports", headers=field.tester.auth).json()["data"]
    assert [report["id"] for report in reports] == [first.json()["id"]]
    # A visit's move replayed after its answer was lost: the stored answer, not a 412 for the tester's own write.
    path = f"{ORDERS}/{order_id}/start"
    headers = field.tester.auth | {"If-Match": client.get(f"{ORDERS}/{order_id}", headers=field.tester.auth)
                                   .headers["etag"], "Idempotency-Key": "start-1"}
    started, again = client.post(path, headers=headers), client.post(path, headers=headers)
    assert started.status_code == again.status_code == 200 and again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == started.headers["etag"] == client.get(
        f"{ORDERS}/{order_id}", headers=field.tester.auth).headers["etag"]
    sign = f"{ROOT}/reports/{first.json()['id']}/sign"
    signing = field.tester.auth | {"If-Match": first.headers["etag"], "Idempotency-Key": "sign-1"}
    signed, resigned = client.post(sign, headers=signing), client.post(sign, headers=signing)
    assert signed.status_code == resigned.status_code == 200  # not a 409 for a report it signed itself
    assert resigned.headers["idempotent-replayed"] == "true" and resigned.json() == signed.json()


def test_a_stale_field_write_is_a_412(client: TestClient, tenant_a: Tenant) -> None:
    field = Field(client, tenant_a)
    order_id = field.order()
    stale = field.sync()["work_orders"][0]["etag"]
    moved(client, tenant_a.auth, order_id, "schedule", schedule_body(field.tester.user_id, "2026-12-04"))
    start = f"{ORDERS}/{order_id}/start"
    assert client.post(start, headers=field.tester.auth | {"If-Match": stale}).status_code == 412
    # Two devices of the tester: the second completes the order as it was before the first recorded its items.
    read = client.post(start, headers=field.tester.auth | {"If-Match": field.sync()["work_orders"][0]["etag"]})
    items = client.put(f"{ORDERS}/{order_id}/line-items", json={"line_items": []},
                       headers=field.tester.auth | {"If-Match": read.headers["etag"]})
    assert items.status_code == 200
    assert client.post(f"{ORDERS}/{order_id}/complete",
                       headers=field.tester.auth | {"If-Match": read.headers["etag"]}).status_code == 412
    report = field.report(field.assembly_ids[0])
    path = f"{ROOT}/reports/{report.json()['id']}"
    assert client.patch(path, json={"notes": "Meter room"},
                        headers=field.tester.auth | {"If-Match": report.headers["etag"]}).status_code == 200
    assert client.patch(path, json={"notes": "Offline edit"},
                        headers=field.tester.auth | {"If-Match": report.headers["etag"]}).status_code == 412
    # Signing what the device showed: a report changed since is not signed.
    assert client.post(f"{path}/sign", headers=field.tester.auth | {"If-Match": report.headers["etag"]}
                       ).status_code == 412
    assert client.get(path, headers=field.tester.auth).json()["status"] == "draft"
