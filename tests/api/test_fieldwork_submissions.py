"""District submissions: signed reports wait in their district's queue (one Query per page, oldest test first, with
their deadlines); a submission batches them, and its job stores a PDF of each in the district's form and a CSV
summary with their SHA-256, emails the district once and marks the reports submitted, even when an attempt fails
halfway; the district's answer is recorded (a rejection queues the reports again); the weekly schedule submits every
district's queue."""

import csv
import hashlib
import io
from itertools import count
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from atrium.apps.fieldwork.submissions import schedules, sending, service
from atrium.apps.fieldwork.testing import NEW_CERTIFICATION, NEW_CUSTOMER, NEW_SITE, new_assembly, new_gauge
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium_local.mailbox import sent_mail
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.aws_hook import recording_aws_calls
from tests.support.mail_feedback import bounce, publish
from tests.support.operation_calls import is_rate_limit
from tests.support.people import Member, add_member

ROOT = "/v1/fieldwork"
RP = {"check_valve_1_psid": 6.2, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.8}
DC = {"check_valve_1_psid": 1.4, "check_valve_1_closed_tight": True, "check_valve_2_psid": 0.8,
      "check_valve_2_closed_tight": True}
# The district's form: no gauge, no customer.
LAYOUT = ["serial", "assembly_type", "readings", "result", "test_date", "tester", "certification"]
_districts = count(1)


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any] | None = None,
          **headers: str) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=auth | headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


class Office:
    """A district (its form: ``LAYOUT``; deadline 10 days) with a customer's site, a certified tester and a gauge."""

    def __init__(self, client: TestClient, owner: Tenant, form_fields: list[str] | None = None) -> None:
        self.client, self.owner = client, owner
        self.email = f"backflow{next(_districts)}@district.example"
        self.district = _post(client, owner.auth, "/districts", {
            "name": "Springfield Utility Board", "submission_email": self.email,
            "form_fields": form_fields or LAYOUT, "submission_deadline_days": 10})
        customer = _post(client, owner.auth, "/customers", NEW_CUSTOMER)
        self.site = _post(client, owner.auth, f"/customers/{customer['id']}/sites", NEW_SITE)
        self.tester: Member = add_member(owner.id, "tester")
        _post(client, owner.auth, "/certifications", NEW_CERTIFICATION | {"user_id": self.tester.user_id})
        self.gauge = _post(client, owner.auth, "/gauges", new_gauge())

    def signed(self, tested_on: str, assembly_type: str = "RP", readings: dict[str, Any] = RP) -> dict[str, Any]:
        """A signed report of a new assembly; the assembly's serial is in the report as ``serial``."""
        assembly = _post(self.client, self.owner.auth, f"/sites/{self.site['id']}/assemblies",
                         new_assembly(self.district["id"], type=assembly_type))
        report = _post(self.client, self.tester.auth, f"/assemblies/{assembly['id']}/reports",
                       {"gauge_id": self.gauge["id"], "tested_on": tested_on, "readings": readings})
        return _post(self.client, self.tester.auth, f"/reports/{report['id']}/sign") | {"serial": assembly["serial"]}

    def waiting(self, **params: Any) -> Any:
        return self.client.get(f"{ROOT}/districts/{self.district['id']}/unsubmitted-reports", params=params,
                               headers=self.owner.auth)

    def submit(self, **headers: str) -> Any:
        return self.client.post(f"{ROOT}/districts/{self.district['id']}/submissions",
                                headers=self.owner.auth | headers)

    def submission(self, submission_id: str) -> dict[str, Any]:
        response = self.client.get(f"{ROOT}/submissions/{submission_id}", headers=self.owner.auth)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def mails(self) -> list[dict[str, Any]]:
        return [mail for mail in sent_mail() if mail["to"] == self.email]


def _stored(tenant: Tenant, submission: dict[str, Any], name: str) -> bytes:
    key = f"tenants/{tenant.id}/fieldwork/submissions/{submission['id']}/{name}"
    body: bytes = boto3.client("s3", region_name=settings().region).get_object(
        Bucket=settings().files_bucket, Key=key)["Body"].read()
    return body


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _actions(client: TestClient, tenant: Tenant) -> list[str]:
    events = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).json()["data"]
    return [event["action"] for event in events if event["action"].startswith("fieldwork.submission.")]


def test_signed_reports_wait_in_their_districts_queue_one_query_a_page(client: TestClient, tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    later, earlier, latest = (office.signed(day) for day in ("2026-12-03", "2026-11-20", "2026-12-09"))
    draft = _post(client, office.tester.auth, f"/assemblies/{later['assembly_id']}/reports",
                  {"gauge_id": office.gauge["id"], "tested_on": "2026-11-01", "readings": RP})
    with recording_aws_calls() as calls:
        first = office.waiting(limit=2)
    assert first.status_code == 200, first.text
    assert [c.operation for c in calls if c.service == "dynamodb" and not is_rate_limit(c)] == ["GetItem", "Query"]
    second = office.waiting(limit=2, cursor=first.json()["next_cursor"]).json()
    listed = first.json()["data"] + second["data"]
    assert [r["id"] for r in listed] == [earlier["id"], later["id"], latest["id"]]  # oldest test first; no draft
    assert draft["id"] not in {r["id"] for r in listed} and second["next_cursor"] is None
    assert [r["submission_deadline"] for r in listed] == ["2026-11-30", "2026-12-13", "2026-12-19"]
    assert listed[0]["status"] == "signed" and listed[0]["certification_id"] == earlier["certification_id"]


def test_a_submission_sends_each_report_in_the_districts_form(client: TestClient, tenant_a: Tenant,
                                                              worker: Worker) -> None:
    office = Office(client, tenant_a)
    rp, dc = office.signed("2026-11-20"), office.signed("2026-12-01", "DC", DC)
    response = office.submit(**{"Idempotency-Key": "weekly-1"})
    assert response.status_code == 201, response.text
    made = response.json()
    assert response.headers["location"] == f"{ROOT}/submissions/{made['id']}"
    assert (made["status"], made["report_ids"], made["files"]) == ("preparing", [rp["id"], dc["id"]], [])
    assert office.submit(**{"Idempotency-Key": "weekly-1"}).json()["id"] == made["id"]  # replayed
    assert office.waiting().json()["data"] == []
    nothing = office.submit()
    assert nothing.status_code == 409 and "no signed report waiting" in nothing.json()["detail"]

    worker.drain()
    job = client.get(f"/v1/jobs/{made['job_id']}", headers=tenant_a.auth).json()
    assert job["status"] == "succeeded", job
    sent = office.submission(made["id"])
    assert (sent["status"], sent["sent_to"]) == ("sent", office.email) and sent["sent_at"]
    names = [f"{rp['id']}.pdf", f"{dc['id']}.pdf", "summary.csv"]
    assert [f["name"] for f in sent["files"]] == names and set(sent["download_urls"]) == set(names)
    for file in sent["files"]:
        stored = _stored(tenant_a, sent, file["name"])
        assert file["sha256"] == hashlib.sha256(stored).hexdigest() and file["size"] == len(stored)

    text = _text(_stored(tenant_a, sent, f"{rp['id']}.pdf"))
    for shown in (rp["serial"], "Check valve 1 6.2 psid", "Relief valve opening 2.8 psid",
                  "Check valve 2 closed tight yes", "Tester certification BAT-20931", office.tester.email,
                  "Test date 2026-11-20", "Result passed", "Springfield Utility Board", made["id"]):
        assert shown in text, shown
    assert text.index("Serial number") < text.index("Assembly type") < text.index("Check valve 1")  # its order
    for left_out in (office.gauge["serial"], "Test gauge", str(NEW_CUSTOMER["name"]), "Customer"):
        assert left_out not in text, left_out
    failed = _text(_stored(tenant_a, sent, f"{dc['id']}.pdf"))
    assert "Check valve 2 0.8 psid" in failed and "failed: check valve 2 below 1.0 psid" in failed

    rows = list(csv.reader(io.StringIO(_stored(tenant_a, sent, "summary.csv").decode())))
    assert rows[0] == ["report_id", *LAYOUT]
    assert [(row[0], row[1]) for row in rows[1:]] == [(rp["id"], rp["serial"]), (dc["id"], dc["serial"])]
    assert "Check valve 1: 6.2 psid" in rows[1][3] and rows[2][6] == office.tester.email

    (mail,) = office.mails()
    assert "Springfield Utility Board" in mail["subject"]
    for file in sent["files"]:
        assert file["name"] in mail["text"] and file["sha256"] in mail["text"]
    for report in (rp, dc):
        shown = client.get(f"{ROOT}/reports/{report['id']}", headers=tenant_a.auth).json()
        assert shown["submission_id"] == made["id"] and shown["submitted_at"] == sent["sent_at"]
    assert _actions(client, tenant_a) == ["fieldwork.submission.sent", "fieldwork.submission.created"]
    listed = client.get(f"{ROOT}/districts/{office.district['id']}/submissions", headers=tenant_a.auth).json()
    assert [s["id"] for s in listed["data"]] == [made["id"]]


@pytest.mark.parametrize("failing", ["_upload", "_mark_sent"])
def test_a_job_failing_halfway_is_retried_without_a_second_email_or_a_lost_report(
        client: TestClient, tenant_a: Tenant, worker: Worker, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    """The first attempt fails storing the second file, or after the email was sent; the retry completes it."""
    office = Office(client, tenant_a)
    reports = [office.signed(day) for day in ("2026-11-20", "2026-11-21")]
    real, calls, fail_on = getattr(sending, failing), count(1), 2 if failing == "_upload" else 1

    def flaky(*args: Any) -> Any:
        if next(calls) == fail_on:
            raise RuntimeError("the attempt dies here")
        return real(*args)

    monkeypatch.setattr(sending, failing, flaky)
    made = office.submit().json()
    worker.drain()
    job = client.get(f"/v1/jobs/{made['job_id']}", headers=tenant_a.auth).json()
    assert (job["status"], job["attempts"]) == ("succeeded", 2), job
    sent = office.submission(made["id"])
    assert sent["status"] == "sent" and len(office.mails()) == 1
    for file in sent["files"]:
        assert file["sha256"] == hashlib.sha256(_stored(tenant_a, sent, file["name"])).hexdigest()
    assert {client.get(f"{ROOT}/reports/{r['id']}", headers=tenant_a.auth).json()["submission_id"]
            for r in reports} == {made["id"]}
    assert _actions(client, tenant_a).count("fieldwork.submission.sent") == 1


def test_an_email_the_mail_service_skips_fails_the_job_and_a_retry_sends_it(
        client: TestClient, tenant_a: Tenant, worker: Worker, aws: Provisioned) -> None:
    office = Office(client, tenant_a)
    report = office.signed("2026-11-20")
    publish(aws, bounce(office.email))  # the district's address bounced: it is suppressed
    worker.drain()
    made = office.submit().json()
    worker.drain()
    job = client.get(f"/v1/jobs/{made['job_id']}", headers=tenant_a.auth).json()
    assert job["status"] == "failed" and f"the email to {office.email} was not sent" in job["error"]
    kept = office.submission(made["id"])
    assert (kept["status"], len(kept["files"])) == ("preparing", 2) and office.mails() == []
    assert client.get(f"{ROOT}/reports/{report['id']}", headers=tenant_a.auth).json()["submission_id"] is None

    district = f"{ROOT}/districts/{office.district['id']}"
    etag = client.get(district, headers=tenant_a.auth).headers["etag"]
    office.email = office.email.replace("backflow", "reports")
    assert client.patch(district, json={"submission_email": office.email},
                        headers=tenant_a.auth | {"If-Match": etag}).status_code == 200
    assert client.post(f"/v1/jobs/{made['job_id']}/retry", headers=tenant_a.auth).status_code == 202
    worker.drain()
    sent = office.submission(made["id"])
    assert (sent["status"], sent["sent_to"], sent["files"]) == ("sent", office.email, kept["files"])
    assert len(office.mails()) == 1


def test_the_districts_answer_is_recorded_and_a_rejection_queues_the_reports_again(
        client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    office = Office(client, tenant_a)
    first = office.signed("2026-11-20")
    accepted = office.submit().json()
    path = f"{ROOT}/submissions/{accepted['id']}"
    early = client.post(f"{path}/accept", json={}, headers=tenant_a.auth)
    assert early.status_code == 409 and "not been sent" in early.json()["detail"]
    worker.drain()
    response = client.post(f"{path}/accept", json={"note": "Ref 2026-118"}, headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["answer_note"], response.json()["answered_by"]) == (
        "accepted", "Ref 2026-118", tenant_a.user_id)
    assert client.post(f"{path}/reject", json={"reason": "late"}, headers=tenant_a.auth).status_code == 409

    second = office.signed("2026-11-22")
    rejected = office.submit().json()
    worker.drain()
    path = f"{ROOT}/submissions/{rejected['id']}"
    assert client.post(f"{path}/reject", json={"reason": " "}, headers=tenant_a.auth).status_code == 422
    response = client.post(f"{path}/reject", json={"reason": "Missing the relief valve reading"},
                           headers=tenant_a.auth)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["answer_note"]) == ("rejected",
                                                                           "Missing the relief valve reading")
    assert [r["id"] for r in office.waiting().json()["data"]] == [second["id"]]  # not the accepted one
    again = office.submit().json()
    assert again["report_ids"] == [second["id"]] and again["id"] != rejected["id"]
    assert first["id"] not in again["report_ids"]
    assert _actions(client, tenant_a).count("fieldwork.submission.rejected") == 1
    assert _actions(client, tenant_a).count("fieldwork.submission.accepted") == 1


def test_a_batch_takes_the_oldest_and_the_weekly_schedule_submits_every_queue(
        client: TestClient, tenant_a: Tenant, worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_REPORTS", 2)
    office, quiet, other = Office(client, tenant_a), Office(client, tenant_a), Office(client, tenant_a)
    days = ["2026-11-05", "2026-11-01", "2026-11-04", "2026-11-03", "2026-11-02"]
    reports = {day: office.signed(day)["id"] for day in days}
    elsewhere = other.signed("2026-11-01")
    taken = office.submit().json()
    assert taken["report_ids"] == [reports["2026-11-01"], reports["2026-11-02"]]

    result = schedules.submit_district_queues(clock.now())
    assert result["submissions"] >= 3  # two batches here, one for the other district (other tenants' too)
    assert office.waiting().json()["data"] == [] and other.waiting().json()["data"] == []
    made = client.get(f"{ROOT}/districts/{office.district['id']}/submissions", headers=tenant_a.auth).json()["data"]
    assert [s["report_ids"] for s in reversed(made)] == [
        [reports["2026-11-01"], reports["2026-11-02"]], [reports["2026-11-03"], reports["2026-11-04"]],
        [reports["2026-11-05"]]]
    assert {s["created_by"] for s in made[:2]} == {schedules.NAME}
    assert client.get(f"{ROOT}/districts/{quiet.district['id']}/submissions",
                      headers=tenant_a.auth).json()["data"] == []
    worker.drain()
    assert len(office.mails()) == 3 and len(other.mails()) == 1 and quiet.mails() == []
    report = client.get(f"{ROOT}/reports/{elsewhere['id']}", headers=tenant_a.auth).json()
    assert report["submission_id"] is not None


def test_another_tenant_reaches_no_queue_or_submission(client: TestClient, tenant_a: Tenant,
                                                       tenant_b: Tenant) -> None:
    office = Office(client, tenant_a)
    office.signed("2026-11-20")
    made = office.submit().json()
    district = f"{ROOT}/districts/{office.district['id']}"
    for path in (f"{district}/unsubmitted-reports", f"{district}/submissions", f"{ROOT}/submissions/{made['id']}"):
        assert client.get(path, headers=tenant_b.auth).status_code == 404, path
    assert client.post(f"{district}/submissions", headers=tenant_b.auth).status_code == 404
    assert client.post(f"{ROOT}/submissions/{made['id']}/reject", json={"reason": "x"},
                       headers=tenant_b.auth).status_code == 404
    assert office.submission(made["id"])["status"] == "preparing"


def test_dispatchers_and_testers_read_submissions_office_admins_make_them(client: TestClient,
                                                                          tenant_a: Tenant) -> None:
    office = Office(client, tenant_a)
    office.signed("2026-11-20")
    district = f"{ROOT}/districts/{office.district['id']}"
    for role in ("dispatcher", "tester"):
        member = add_member(tenant_a.id, role)
        assert client.get(f"{district}/submissions", headers=member.auth).status_code == 200
        assert client.post(f"{district}/submissions", headers=member.auth).status_code == 403
    admin = add_member(tenant_a.id, "office_admin")
    assert client.post(f"{district}/submissions", headers=admin.auth).status_code == 201
