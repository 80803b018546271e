"""Fieldwork test reports: the result computed from the readings, signing by the tester under a valid certification
with a calibrated gauge, immutability once signed, amendments, and the assembly's due date moved by a pass."""

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.testing import (
    NEW_CERTIFICATION,
    NEW_CUSTOMER,
    NEW_DISTRICT,
    NEW_SITE,
    new_assembly,
    new_gauge,
)
from atrium.kernel import clock
from tests.api.conftest import Tenant
from tests.support.people import Member, add_member

ROOT = "/v1/fieldwork"
PASSING_RP = {"check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.8}
FAILING_RP = PASSING_RP | {"relief_valve_opening_psid": 1.5}


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


class Visit:
    """An RP assembly (its district tests every 24 months), a tester certified until ``certified_until`` and a gauge
    calibrated until ``calibrated_until``."""

    def __init__(self, client: TestClient, owner: Tenant, *, certified_until: str = "2099-06-30",
                 calibrated_until: str = "2099-01-15", assembly_type: str = "RP") -> None:
        self.client, self.owner = client, owner
        customer = _post(client, owner.auth, "/customers", NEW_CUSTOMER)
        site = _post(client, owner.auth, f"/customers/{customer['id']}/sites", NEW_SITE)
        district = _post(client, owner.auth, "/districts", NEW_DISTRICT | {"test_interval_months": 24})
        self.assembly = _post(client, owner.auth, f"/sites/{site['id']}/assemblies",
                              new_assembly(district["id"], type=assembly_type))
        self.tester: Member = add_member(owner.id, "tester")
        _post(client, owner.auth, "/certifications",
              NEW_CERTIFICATION | {"user_id": self.tester.user_id, "expires_on": certified_until})
        self.gauge = _post(client, owner.auth, "/gauges", new_gauge(calibration_expires_on=calibrated_until))

    def report(self, readings: dict[str, Any], tested_on: str = "2026-12-01", **more: Any) -> Any:
        return self.client.post(f"{ROOT}/assemblies/{self.assembly['id']}/reports", headers=self.tester.auth,
                                json={"gauge_id": self.gauge["id"], "tested_on": tested_on, "readings": readings}
                                | more)

    def sign(self, report_id: str, auth: dict[str, str] | None = None) -> Any:
        return self.client.post(f"{ROOT}/reports/{report_id}/sign", headers=auth or self.tester.auth)


def test_a_passed_signed_report_moves_the_assemblys_due_date(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    draft = visit.report(PASSING_RP)
    assert draft.status_code == 201, draft.text
    assert (draft.json()["result"], draft.json()["failures"], draft.json()["status"]) == ("passed", [], "draft")
    signed = visit.sign(draft.json()["id"])
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed" and signed.json()["certification_id"].startswith("crt_")
    assembly = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}", headers=tenant_a.auth).json()
    assert (assembly["last_test_date"], assembly["next_due_date"]) == ("2026-12-01", "2028-12-01")
    assert "fieldwork.report.signed" in {e["action"] for e in client.get(
        "/v1/audit-events", headers=tenant_a.auth).json()["data"]}


def test_a_failed_report_is_signed_without_moving_the_due_date(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    draft = visit.report(FAILING_RP).json()
    assert (draft["result"], draft["failures"]) == ("failed", ["relief valve opened below 2.0 psid"])
    assert visit.sign(draft["id"]).status_code == 200
    assembly = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}", headers=tenant_a.auth).json()
    assert (assembly["last_test_date"], assembly["next_due_date"]) == (None, None)


def test_signing_refuses_an_expired_certification(client: TestClient, tenant_a: Tenant) -> None:
    yesterday = (clock.now().date() - dt.timedelta(days=1)).isoformat()
    visit = Visit(client, tenant_a, certified_until=yesterday)
    refused = visit.sign(visit.report(PASSING_RP, tested_on=yesterday).json()["id"])
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("certification", "certification_expired")]
    assert f"expired on {yesterday}" in refused.json()["detail"]


def test_signing_refuses_a_gauge_out_of_calibration_on_the_test_day(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a, calibrated_until="2026-11-30")
    refused = visit.sign(visit.report(PASSING_RP, tested_on="2026-12-01").json()["id"])
    assert refused.status_code == 422, refused.text
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [("gauge_id", "gauge_out_of_calibration")]
    in_time = visit.report(PASSING_RP, tested_on="2026-11-30").json()
    assert visit.sign(in_time["id"]).status_code == 200


def test_both_refusals_are_named_at_once(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a, certified_until="2020-01-01", calibrated_until="2020-01-01")
    refused = visit.sign(visit.report(PASSING_RP).json()["id"])
    assert {e["code"] for e in refused.json()["errors"]} == {"certification_expired", "gauge_out_of_calibration"}


def test_only_its_tester_signs_and_a_signed_report_does_not_change(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    report = visit.report(PASSING_RP).json()
    path = f"{ROOT}/reports/{report['id']}"
    other = add_member(tenant_a.id, "tester")
    assert visit.sign(report["id"], other.auth).status_code == 403
    assert visit.sign(report["id"]).status_code == 200
    assert visit.sign(report["id"]).status_code == 409
    etag = client.get(path, headers=tenant_a.auth).headers["etag"]
    changed = client.patch(path, json={"notes": "later"}, headers=visit.tester.auth | {"If-Match": etag})
    assert changed.status_code == 409


def test_a_draft_changes_and_its_result_follows_the_readings(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    report = visit.report(PASSING_RP)
    path = f"{ROOT}/reports/{report.json()['id']}"
    changed = client.patch(path, json={"readings": FAILING_RP, "notes": "relief valve spits"},
                           headers=visit.tester.auth | {"If-Match": report.headers["etag"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["result"], changed.json()["notes"]) == ("failed", "relief valve spits")


def test_an_amendment_references_the_signed_original(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    original = visit.report(FAILING_RP).json()
    assert visit.report(PASSING_RP, amends=original["id"]).status_code == 422  # not signed yet
    visit.sign(original["id"])
    amendment = visit.report(PASSING_RP, amends=original["id"])
    assert amendment.status_code == 201, amendment.text
    assert amendment.json()["amends"] == original["id"]
    assert visit.sign(amendment.json()["id"]).status_code == 200
    listed = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}/reports", headers=tenant_a.auth).json()["data"]
    assert [(r["id"], r["amends"]) for r in listed] == [(original["id"], None), (amendment.json()["id"],
                                                                                   original["id"])]
    assert client.get(f"{ROOT}/reports/{original['id']}", headers=tenant_a.auth).json()["result"] == "failed"
    elsewhere = Visit(client, tenant_a)
    assert elsewhere.report(PASSING_RP, amends=original["id"]).status_code == 422  # another assembly's


@pytest.mark.parametrize(("assembly_type", "readings"), [
    ("RP", {"air_inlet_opening_psid": 1.5, "check_valve_psid": 1.5}),
    ("PVB", PASSING_RP),
    ("DC", PASSING_RP),
])
def test_readings_must_be_the_assembly_types(client: TestClient, tenant_a: Tenant, assembly_type: str,
                                             readings: dict[str, Any]) -> None:
    refused = Visit(client, tenant_a, assembly_type=assembly_type).report(readings)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "body.readings"


def test_a_tested_assembly_is_kept(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    visit.report(PASSING_RP)
    assert client.delete(f"{ROOT}/assemblies/{visit.assembly['id']}", headers=tenant_a.auth).status_code == 409


def test_who_makes_and_signs_reports(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    report = visit.report(PASSING_RP).json()
    dispatcher = add_member(tenant_a.id, "dispatcher")
    assert client.get(f"{ROOT}/reports/{report['id']}", headers=dispatcher.auth).status_code == 200
    assert visit.sign(report["id"], dispatcher.auth).status_code == 403
    assert client.post(f"{ROOT}/assemblies/{visit.assembly['id']}/reports", headers=dispatcher.auth,
                       json={"gauge_id": visit.gauge["id"], "tested_on": "2026-12-01",
                             "readings": PASSING_RP}).status_code == 403


REPAIRED = [{"part": "relief valve diaphragm", "quantity": 1},
            {"part": "check valve 1 rubber", "notes": "cleaned seat"}]


def test_a_failed_test_repaired_and_retested_counts_the_retest(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    draft = visit.report(FAILING_RP, repairs=REPAIRED, retest_readings=PASSING_RP)
    assert draft.status_code == 201, draft.text
    report = draft.json()
    assert report["initial_result"] == "failed" and report["initial_failures"] == ["relief valve opened below 2.0 psid"]
    assert report["result"] == "passed" and report["failures"] == []
    assert [repair["part"] for repair in report["repairs"]] == ["relief valve diaphragm", "check valve 1 rubber"]
    assert report["repairs"][1] == {"part": "check valve 1 rubber", "quantity": 1, "notes": "cleaned seat"}
    assert visit.sign(report["id"]).status_code == 200
    assembly = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}", headers=tenant_a.auth).json()
    assert assembly["last_test_date"] == "2026-12-01"  # the retest passed: the due date moves


def test_a_failed_retest_still_fails_and_a_draft_takes_its_retest_later(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    report = visit.report(FAILING_RP, repairs=REPAIRED, retest_readings=FAILING_RP).json()
    assert report["result"] == "failed" and report["initial_result"] == "failed"
    later = visit.report(FAILING_RP)
    path = f"{ROOT}/reports/{later.json()['id']}"
    changed = client.patch(path, json={"repairs": REPAIRED, "retest_readings": PASSING_RP},
                           headers=visit.tester.auth | {"If-Match": later.headers["etag"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["result"] == "passed" and changed.json()["initial_result"] == "failed"


@pytest.mark.parametrize(("first", "more", "field", "code"), [
    (FAILING_RP, {"retest_readings": PASSING_RP}, "body.repairs", "no_repairs"),
    (PASSING_RP, {"repairs": REPAIRED, "retest_readings": PASSING_RP}, "body.retest_readings", "not_failed"),
    (FAILING_RP, {"repairs": REPAIRED, "retest_readings": {"air_inlet_opening_psid": 1.5, "check_valve_psid": 1.2}},
     "body.retest_readings", "wrong_type"),
])
def test_a_retest_needs_a_failed_test_repairs_and_the_assemblys_readings(
        client: TestClient, tenant_a: Tenant, first: dict[str, Any], more: dict[str, Any], field: str,
        code: str) -> None:
    refused = Visit(client, tenant_a).report(first, **more)
    assert refused.status_code == 422, refused.text
    assert [(error["field"], error["code"]) for error in refused.json()["errors"]] == [(field, code)]


def test_a_draft_is_deleted_by_its_tester_and_a_signed_report_stays(client: TestClient, tenant_a: Tenant) -> None:
    visit = Visit(client, tenant_a)
    draft, signed = visit.report(PASSING_RP).json(), visit.report(PASSING_RP).json()
    assert visit.sign(signed["id"]).status_code == 200
    other = add_member(tenant_a.id, "tester")
    assert client.delete(f"{ROOT}/reports/{draft['id']}", headers=other.auth).status_code == 403
    assert client.delete(f"{ROOT}/reports/{signed['id']}", headers=visit.tester.auth).status_code == 409
    assert client.delete(f"{ROOT}/reports/{draft['id']}", headers=visit.tester.auth).status_code == 204
    assert client.get(f"{ROOT}/reports/{draft['id']}", headers=tenant_a.auth).status_code == 404
    listed = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}/reports", headers=tenant_a.auth).json()["data"]
    assert [report["id"] for report in listed] == [signed["id"]]
    assembly = client.get(f"{ROOT}/assemblies/{visit.assembly['id']}", headers=tenant_a.auth).json()
    assert assembly["report_count"] == 1  # counted down with the deletion
