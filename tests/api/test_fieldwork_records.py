"""Fieldwork customers, sites, water districts and assemblies: CRUD, validation, the serial's uniqueness on a site,
records that keep their parents, roles, and tenant isolation (the route matrices cover every route besides)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import NEW_CUSTOMER, NEW_DISTRICT, NEW_SITE, new_assembly
from tests.api.conftest import Tenant
from tests.support.people import add_member

ROOT = "/v1/fieldwork"


def _created(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 201, response.text
    assert response.headers["location"].endswith(response.json()["id"])
    return dict(response.json())


def _site(client: TestClient, owner: Tenant) -> dict[str, Any]:
    customer = _created(client, owner.auth, f"{ROOT}/customers", NEW_CUSTOMER)
    return _created(client, owner.auth, f"{ROOT}/customers/{customer['id']}/sites", NEW_SITE)


def _district(client: TestClient, owner: Tenant, **changes: Any) -> dict[str, Any]:
    return _created(client, owner.auth, f"{ROOT}/districts", NEW_DISTRICT | changes)


def _assembly(client: TestClient, owner: Tenant, site_id: str, district_id: str, **changes: Any) -> Any:
    return client.post(f"{ROOT}/sites/{site_id}/assemblies", json=new_assembly(district_id, **changes),
                       headers=owner.auth)


def _audit_actions(client: TestClient, owner: Tenant) -> set[str]:
    return {event["action"] for event in client.get("/v1/audit-events?limit=100", headers=owner.auth).json()["data"]}


def test_customers_and_sites_are_created_read_listed_changed_and_deleted(client: TestClient,
                                                                         tenant_a: Tenant) -> None:
    customer = _created(client, tenant_a.auth, f"{ROOT}/customers", NEW_CUSTOMER | {"notes": "Gate code 4412"})
    assert customer["billing_contact"] == {"name": "Dana Reyes", "email": "dana@harbour.example", "phone": ""}
    path = f"{ROOT}/customers/{customer['id']}"
    site = _created(client, tenant_a.auth, f"{path}/sites", NEW_SITE)
    assert site["customer_id"] == customer["id"]
    read = client.get(path, headers=tenant_a.auth)
    assert read.json()["site_count"] == 1
    changed = client.patch(path, json={"notes": "Gate code 5521"},
                           headers=tenant_a.auth | {"If-Match": read.headers["etag"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["notes"], changed.json()["name"]) == ("Gate code 5521", NEW_CUSTOMER["name"])
    stale = client.patch(path, json={"notes": "Again"}, headers=tenant_a.auth | {"If-Match": read.headers["etag"]})
    assert stale.status_code == 412
    assert client.patch(path, json={"notes": "Again"}, headers=tenant_a.auth).status_code == 428
    assert [s["id"] for s in client.get(f"{path}/sites", headers=tenant_a.auth).json()["data"]] == [site["id"]]
    assert client.delete(path, headers=tenant_a.auth).status_code == 409  # it has a site
    assert client.delete(f"{ROOT}/sites/{site['id']}", headers=tenant_a.auth).status_code == 204
    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.get(path, headers=tenant_a.auth).status_code == 404
    assert {"fieldwork.customer.created", "fieldwork.customer.updated", "fieldwork.site.created",
            "fieldwork.site.deleted", "fieldwork.customer.deleted"} <= _audit_actions(client, tenant_a)


def test_a_site_needs_a_customer_of_the_tenant(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    theirs = _created(client, tenant_b.auth, f"{ROOT}/customers", NEW_CUSTOMER)
    for customer_id in (theirs["id"], "cus_01JDQ3Z8M4W6N0B2C4E6G8J0K2", "nope"):
        assert client.post(f"{ROOT}/customers/{customer_id}/sites", json=NEW_SITE,
                           headers=tenant_a.auth).status_code == 404
        assert client.get(f"{ROOT}/customers/{customer_id}/sites", headers=tenant_a.auth).status_code == 404
    assert client.get(f"{ROOT}/customers/{theirs['id']}", headers=tenant_b.auth).json()["site_count"] == 0


def test_lists_are_paged_with_cursors(client: TestClient, tenant_a: Tenant) -> None:
    made = [_created(client, tenant_a.auth, f"{ROOT}/customers", NEW_CUSTOMER)["id"] for _ in range(3)]
    first = client.get(f"{ROOT}/customers?limit=2", headers=tenant_a.auth).json()
    second = client.get(f"{ROOT}/customers?limit=2&cursor={first['next_cursor']}", headers=tenant_a.auth).json()
    assert [c["id"] for c in first["data"] + second["data"]] == made


def test_a_district_has_defaults_and_checks_its_fields(client: TestClient, tenant_a: Tenant) -> None:
    district = _district(client, tenant_a)
    assert (district["test_interval_months"], district["submission_deadline_days"]) == (12, 10)
    assert "serial" in district["form_fields"]
    path = f"{ROOT}/districts/{district['id']}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    changed = client.patch(path, json={"form_fields": ["serial", "readings"], "test_interval_months": 36},
                           headers=tenant_a.auth | {"If-Match": etag})
    assert (changed.json()["form_fields"], changed.json()["test_interval_months"]) == (["serial", "readings"], 36)


@pytest.mark.parametrize("change", [
    {"form_fields": ["serial", "serial"]}, {"form_fields": []}, {"form_fields": ["colour"]},
    {"submission_deadline_days": 0}, {"submission_deadline_days": "10"}, {"test_interval_months": 0},
    {"submission_email": "not an address"}, {"name": ""}, {"surprise": True},
])
def test_bad_districts_are_refused(client: TestClient, tenant_a: Tenant, change: dict[str, Any]) -> None:
    response = client.post(f"{ROOT}/districts", json=NEW_DISTRICT | change, headers=tenant_a.auth)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_an_assembly_is_due_after_its_districts_interval(client: TestClient, tenant_a: Tenant) -> None:
    site = _site(client, tenant_a)
    district = _district(client, tenant_a, test_interval_months=24)
    created = _assembly(client, tenant_a, site["id"], district["id"], last_test_date="2024-02-29")
    assert created.status_code == 201, created.text
    assembly = created.json()
    assert (assembly["customer_id"], assembly["next_due_date"]) == (site["customer_id"], "2026-02-28")
    untested = _assembly(client, tenant_a, site["id"], district["id"]).json()
    assert (untested["last_test_date"], untested["next_due_date"]) == (None, None)
    listed = client.get(f"{ROOT}/sites/{site['id']}/assemblies", headers=tenant_a.auth).json()["data"]
    assert [a["id"] for a in listed] == [assembly["id"], untested["id"]]
    counts = [client.get(f"{ROOT}/{kind}/{record['id']}", headers=tenant_a.auth).json()["assembly_count"]
              for kind, record in (("sites", site), ("districts", district))]
    assert counts == [2, 2]


def test_a_serial_is_unique_on_its_site(client: TestClient, tenant_a: Tenant) -> None:
    site, other_site = _site(client, tenant_a), _site(client, tenant_a)
    district = _district(client, tenant_a)
    first = _assembly(client, tenant_a, site["id"], district["id"], serial="AB-100").json()
    assert _assembly(client, tenant_a, site["id"], district["id"], serial="ab-100").status_code == 409
    assert _assembly(client, tenant_a, other_site["id"], district["id"], serial="AB-100").status_code == 201
    second = _assembly(client, tenant_a, site["id"], district["id"], serial="AB-200").json()
    path = f"{ROOT}/assemblies/{second['id']}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    taken = client.patch(path, json={"serial": "AB-100"}, headers=tenant_a.auth | {"If-Match": etag})
    assert taken.status_code == 409
    renamed = client.patch(path, json={"serial": "AB-300"}, headers=tenant_a.auth | {"If-Match": etag})
    assert renamed.status_code == 200, renamed.text
    assert _assembly(client, tenant_a, site["id"], district["id"], serial="AB-200").status_code == 201  # freed
    assert client.delete(f"{ROOT}/assemblies/{first['id']}", headers=tenant_a.auth).status_code == 204
    assert _assembly(client, tenant_a, site["id"], district["id"], serial="AB-100").status_code == 201


def test_sites_and_districts_with_assemblies_are_kept(client: TestClient, tenant_a: Tenant) -> None:
    site, district = _site(client, tenant_a), _district(client, tenant_a)
    assembly = _assembly(client, tenant_a, site["id"], district["id"]).json()
    assert client.delete(f"{ROOT}/sites/{site['id']}", headers=tenant_a.auth).status_code == 409
    assert client.delete(f"{ROOT}/districts/{district['id']}", headers=tenant_a.auth).status_code == 409
    assert client.delete(f"{ROOT}/assemblies/{assembly['id']}", headers=tenant_a.auth).status_code == 204
    assert client.delete(f"{ROOT}/districts/{district['id']}", headers=tenant_a.auth).status_code == 204
    assert client.delete(f"{ROOT}/sites/{site['id']}", headers=tenant_a.auth).status_code == 204


def test_an_assembly_needs_a_site_and_a_district_of_the_tenant(client: TestClient, tenant_a: Tenant,
                                                               tenant_b: Tenant) -> None:
    site, district = _site(client, tenant_a), _district(client, tenant_a)
    their_site, their_district = _site(client, tenant_b), _district(client, tenant_b)
    assert _assembly(client, tenant_a, their_site["id"], district["id"]).status_code == 404
    missing = _assembly(client, tenant_a, site["id"], their_district["id"])
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.district_id"
    assert _assembly(client, tenant_a, site["id"], "dst_nope").status_code == 422


@pytest.mark.parametrize("change", [
    {"type": "XY"}, {"hazard": "medium"}, {"serial": ""}, {"serial": "A#1"}, {"size_inches": 0},
    {"install_date": "2024-13-01"}, {"make": None}, {"surprise": 1},
])
def test_bad_assemblies_are_refused(client: TestClient, tenant_a: Tenant, change: dict[str, Any]) -> None:
    site, district = _site(client, tenant_a), _district(client, tenant_a)
    response = _assembly(client, tenant_a, site["id"], district["id"], **change)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(("role", "allowed", "denied"), [
    ("office_admin", ["customers:create", "districts:create", "districts:delete"], []),
    ("dispatcher", ["customers:create", "sites:create", "assemblies:create"],
     ["districts:create", "customers:delete"]),
    ("tester", ["customers:read", "assemblies:read"], ["customers:create", "assemblies:update"]),
    ("billing", ["customers:read"], ["assemblies:read", "customers:create"]),
])
def test_each_role_holds_its_fieldwork_permissions(client: TestClient, tenant_a: Tenant, role: str,
                                                   allowed: list[str], denied: list[str]) -> None:
    held = set(client.get("/v1/me", headers=add_member(tenant_a.id, role).auth).json()["permissions"])
    assert set(allowed) <= held and not set(denied) & held


def test_a_dispatcher_keeps_records_but_deletes_none(client: TestClient, tenant_a: Tenant) -> None:
    dispatcher = add_member(tenant_a.id, "dispatcher")
    customer = _created(client, dispatcher.auth, f"{ROOT}/customers", NEW_CUSTOMER)
    assert client.delete(f"{ROOT}/customers/{customer['id']}", headers=dispatcher.auth).status_code == 403
    assert client.post(f"{ROOT}/districts", json=NEW_DISTRICT, headers=dispatcher.auth).status_code == 403
    tester = add_member(tenant_a.id, "tester")
    assert client.get(f"{ROOT}/customers/{customer['id']}", headers=tester.auth).status_code == 200
    assert client.post(f"{ROOT}/customers", json=NEW_CUSTOMER, headers=tester.auth).status_code == 403
