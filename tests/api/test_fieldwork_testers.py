"""Fieldwork testers' certifications and test gauges: a certification is a tester's, a gauge's serial is unique,
both change with If-Match, and only the office manages them."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import NEW_CERTIFICATION, new_gauge
from tests.api.conftest import Tenant
from tests.support.people import add_member

CERTIFICATIONS, GAUGES = "/v1/fieldwork/certifications", "/v1/fieldwork/gauges"


def _certify(client: TestClient, auth: dict[str, str], user_id: str, **changes: Any) -> Any:
    return client.post(CERTIFICATIONS, json=NEW_CERTIFICATION | {"user_id": user_id} | changes, headers=auth)


def test_a_certification_is_a_testers(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    tester, dispatcher = add_member(tenant_a.id, "tester"), add_member(tenant_a.id, "dispatcher")
    created = _certify(client, tenant_a.auth, tester.user_id)
    assert created.status_code == 201, created.text
    assert created.json() | {"id": None} == NEW_CERTIFICATION | {
        "id": None, "user_id": tester.user_id, "created_at": created.json()["created_at"],
        "updated_at": created.json()["updated_at"]}
    outsider = add_member(tenant_b.id, "tester")
    for user_id in (dispatcher.user_id, outsider.user_id, "usr_nope"):
        refused = _certify(client, tenant_a.auth, user_id)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "body.user_id"


def test_certifications_are_listed_by_tester_renewed_and_deleted(client: TestClient, tenant_a: Tenant) -> None:
    first, second = add_member(tenant_a.id, "tester"), add_member(tenant_a.id, "tester")
    mine = _certify(client, tenant_a.auth, first.user_id).json()
    theirs = _certify(client, tenant_a.auth, second.user_id, number="BAT-1").json()
    listed = client.get(f"{CERTIFICATIONS}?user_id={first.user_id}", headers=tenant_a.auth).json()["data"]
    assert [c["id"] for c in listed] == [mine["id"]]
    every = client.get(CERTIFICATIONS, headers=tenant_a.auth).json()["data"]
    assert [c["id"] for c in every] == [mine["id"], theirs["id"]]
    path = f"{CERTIFICATIONS}/{mine['id']}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    renewed = client.patch(path, json={"expires_on": "2031-06-30"}, headers=tenant_a.auth | {"If-Match": etag})
    assert renewed.json()["expires_on"] == "2031-06-30"
    assert client.patch(path, json={"number": "X"}, headers=tenant_a.auth | {"If-Match": etag}).status_code == 412
    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.get(path, headers=tenant_a.auth).status_code == 404


def test_a_gauge_serial_is_unique_in_the_tenant(client: TestClient, tenant_a: Tenant, tenant_b: Tenant) -> None:
    first = client.post(GAUGES, json=new_gauge(serial="G-100"), headers=tenant_a.auth).json()
    assert client.post(GAUGES, json=new_gauge(serial="g-100"), headers=tenant_a.auth).status_code == 409
    assert client.post(GAUGES, json=new_gauge(serial="G-100"), headers=tenant_b.auth).status_code == 201
    path = f"{GAUGES}/{first['id']}"
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    moved = client.patch(path, json={"serial": "G-101", "calibration_expires_on": "2030-01-15"},
                         headers=tenant_a.auth | {"If-Match": etag})
    assert (moved.json()["serial"], moved.json()["calibration_expires_on"]) == ("G-101", "2030-01-15")
    assert client.post(GAUGES, json=new_gauge(serial="G-100"), headers=tenant_a.auth).status_code == 201  # freed
    assert client.delete(path, headers=tenant_a.auth).status_code == 204
    assert client.post(GAUGES, json=new_gauge(serial="G-101"), headers=tenant_a.auth).status_code == 201


def test_bad_gauges_and_certifications_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    tester = add_member(tenant_a.id, "tester")
    for body in (new_gauge(calibration_expires_on="soon"), new_gauge(serial="G#1"), new_gauge(make="")):
        assert client.post(GAUGES, json=body, headers=tenant_a.auth).status_code == 422
    for change in ({"expires_on": "2027-02-30"}, {"number": ""}, {"certifying_body": None}):
        assert _certify(client, tenant_a.auth, tester.user_id, **change).status_code == 422


def test_only_the_office_manages_testers_and_gauges(client: TestClient, tenant_a: Tenant) -> None:
    office, tester = add_member(tenant_a.id, "office_admin"), add_member(tenant_a.id, "tester")
    assert _certify(client, office.auth, tester.user_id).status_code == 201
    assert client.post(GAUGES, json=new_gauge(), headers=office.auth).status_code == 201
    assert client.get(CERTIFICATIONS, headers=tester.auth).status_code == 200
    assert client.get(GAUGES, headers=tester.auth).status_code == 200
    assert _certify(client, tester.auth, tester.user_id).status_code == 403
    assert client.post(GAUGES, json=new_gauge(), headers=tester.auth).status_code == 403
