"""The monthly summary: each signed report counts in its month's tally (tests, passed, passed the first time, by
assembly type) in the signing's transaction; the month reads as one Query (and a COUNT of the overdue assemblies);
on the 1st the schedule makes each tenant's summary of the month that ended once, and its job stores the PDF with
its SHA-256 and emails the owners and admins a link."""

import datetime as dt
import hashlib
import io
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from atrium.apps.fieldwork import tenants
from atrium.apps.fieldwork.invoices.testing import a_sent_invoice, payment
from atrium.apps.fieldwork.summaries import schedules
from atrium.apps.fieldwork.testing import PASSING_RP, a_certification, a_district, a_gauge, a_site, new_assembly
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import add_member

ROOT = "/v1/fieldwork"
FAILING_RP = PASSING_RP | {"check_valve_1_psid": 4.0}
FAILING_DC = {"check_valve_1_psid": 0.5, "check_valve_1_closed_tight": True, "check_valve_2_psid": 1.2,
              "check_valve_2_closed_tight": True}
PREFERENCES = "/v1/me/email-preferences"
REPAIR = [{"part": "Check valve 1 disc", "quantity": 1}]


def _post(client: TestClient, tenant: Tenant, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=tenant.auth)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


class Office:
    """The tenant's owner, a certified tester with a gauge; a site and a district for new assemblies."""

    def __init__(self, client: TestClient, owner: Tenant) -> None:
        self.client, self.owner = client, owner
        a_certification(client, owner)
        self.gauge, self.site, self.district = a_gauge(client, owner), a_site(client, owner), a_district(client, owner)

    def signed(self, assembly_type: str, readings: dict[str, Any], *, sign: bool = True,
               **changes: Any) -> dict[str, Any]:
        assembly = _post(self.client, self.owner, f"/sites/{self.site}/assemblies",
                         new_assembly(self.district, type=assembly_type))
        report = _post(self.client, self.owner, f"/assemblies/{assembly['id']}/reports",
                       {"gauge_id": self.gauge, "tested_on": clock.now().date().isoformat(), "readings": readings}
                       | changes)
        return _post(self.client, self.owner, f"/reports/{report['id']}/sign") if sign else report


def _summary(client: TestClient, tenant: Tenant, month: str) -> Any:
    return client.get(f"{ROOT}/monthly-summary", params={"month": month}, headers=tenant.auth)


def _this_month() -> str:
    return clock.now().strftime("%Y-%m")


def test_signed_reports_count_by_type_in_their_month(client: TestClient, tenant_a: Tenant,
                                                      tenant_b: Tenant) -> None:
    office = Office(client, tenant_a)
    office.signed("RP", PASSING_RP)
    office.signed("RP", FAILING_RP, repairs=REPAIR, retest_readings=PASSING_RP)  # passed after a repair
    office.signed("RP", FAILING_RP)
    office.signed("DC", FAILING_DC)
    office.signed("RP", PASSING_RP, sign=False)  # a draft counts when it is signed

    summary = _summary(client, tenant_a, _this_month()).json()
    assert (summary["tests"], summary["passed"], summary["pass_rate"]) == (4, 2, 0.5)
    assert summary["by_type"] == [
        {"assembly_type": "DC", "tests": 1, "passed": 0, "passed_first_time": 0, "pass_rate": 0.0},
        {"assembly_type": "RP", "tests": 3, "passed": 2, "passed_first_time": 1, "pass_rate": 0.6667}]
    assert summary["sent"] is None
    assert _summary(client, tenant_b, _this_month()).json()["tests"] == 0  # tenant B's month is its own


def test_invoices_sent_and_payments_recorded_count_in_the_month(client: TestClient, tenant_a: Tenant) -> None:
    kept, voided = (f"{ROOT}/invoices/{a_sent_invoice(client, tenant_a)}" for _ in range(2))
    total = client.get(kept, headers=tenant_a.auth).json()["total_cents"]
    _post(client, tenant_a, kept.removeprefix(ROOT) + "/payments", payment(1200))
    _post(client, tenant_a, kept.removeprefix(ROOT) + "/payments", payment(300, reference="Check 2"))
    etag = client.get(voided, headers=tenant_a.auth).headers["etag"]
    response = client.post(f"{voided}/void", json={"reason": "Billed twice"}, headers=tenant_a.auth | {
        "If-Match": etag})
    assert response.status_code == 200, response.text

    summary = _summary(client, tenant_a, _this_month()).json()
    assert (summary["invoiced_cents"], summary["collected_cents"]) == (total, 1500)


def test_the_overdue_count_is_the_overdue_lists_length(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    long_ago = (clock.now().date() - dt.timedelta(days=800)).isoformat()
    for _ in range(2):
        _post(client, tenant_a, f"/sites/{office.site}/assemblies", new_assembly(office.district,
                                                                                 last_test_date=long_ago))
    overdue = client.get(f"{ROOT}/overdue-assemblies", params={"limit": 100}, headers=tenant_a.auth).json()["data"]
    summary = _summary(client, tenant_a, _this_month()).json()
    assert summary["overdue_assemblies"] == len(overdue) >= 2


@pytest.mark.parametrize("month", ["2026-13", "26-11", "2026-1", "", "2999-01"])
def test_a_month_not_begun_or_misspelled_is_a_422(client: TestClient, tenant_a: Tenant, month: str) -> None:
    response = _summary(client, tenant_a, month)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "query.month"


def test_a_member_without_the_permission_is_refused(client: TestClient, tenant_a: Tenant) -> None:
    for role, status in (("tester", 403), ("dispatcher", 403), ("office_admin", 200), ("billing", 200)):
        response = client.get(f"{ROOT}/monthly-summary", params={"month": _this_month()},
                              headers=add_member(tenant_a.id, role).auth)
        assert response.status_code == status, role


def _pdf(key: str) -> bytes:
    body: bytes = boto3.client("s3", region_name=settings().region).get_object(
        Bucket=settings().files_bucket, Key=key)["Body"].read()
    return body


def test_on_the_first_each_tenant_gets_its_summary_once_as_a_pdf_emailed_to_its_admins(
        client: TestClient, tenant_a: Tenant, tenant_b: Tenant, worker: Worker,
        monkeypatch: pytest.MonkeyPatch) -> None:
    office = Office(client, tenant_a)
    office.signed("RP", PASSING_RP)
    office.signed("DC", FAILING_DC)
    admin, quiet = add_member(tenant_a.id, "admin"), add_member(tenant_a.id, "admin")
    turned_off = client.put(PREFERENCES, json={"categories": {"reports": False}}, headers=quiet.auth)
    assert turned_off.status_code == 200, turned_off.text
    monkeypatch.setattr(tenants, "tenant_ids", lambda: [tenant_a.id, tenant_b.id])  # not every test's tenants
    month, first = _this_month(), (clock.now().date().replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    at = dt.datetime.combine(first, dt.time(6), dt.UTC)

    assert schedules.send_monthly_summaries(at) == {"month": month, "started": 2}
    assert schedules.send_monthly_summaries(at) == {"month": month, "started": 0}  # once a month
    worker.drain()

    summary = _summary(client, tenant_a, month).json()
    sent = summary["sent"]
    assert sorted(sent["sent_to"]) == sorted([tenant_a.email, admin.email])
    mails = [mail for mail in sent_mail() if month in mail["subject"] and mail["to"] in
             (tenant_a.email, admin.email, quiet.email)]
    assert sorted(mail["to"] for mail in mails) == sorted([tenant_a.email, admin.email])
    stored = _pdf(f"tenants/{tenant_a.id}/fieldwork/summaries/{month}.pdf")
    assert hashlib.sha256(stored).hexdigest() == sent["pdf_sha256"]
    assert all(sent["pdf_sha256"] in mail["text"] for mail in mails)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert f"Monthly summary: {month}" in text and "Tests signed 2" in text and "Passed 1 (50.0%)" in text
    assert "RP 1 1 1 100.0%" in text and "DC 1 0 0 0.0%" in text and "Invoiced $0.00" in text
    events = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant_a.auth).json()["data"]
    assert [event["action"] for event in events].count("fieldwork.monthly_summary.sent") == 1
