"""Personal data in free text, by the tenant's privacy setting: `flag` keeps the text (ciphertext in the table) and
counts what it holds, `redact` stores placeholders; the setting takes privacy:manage and If-Match, and one tenant's
setting and report are its own (docs/compliance.md)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from atrium.apps.fieldwork.invoices.testing import a_draft_invoice
from atrium.apps.fieldwork.testing import NEW_CUSTOMER, a_draft_report
from atrium.apps.fieldwork.workorders.testing import a_scheduled_work_order
from tests.api.conftest import Tenant
from tests.support.invitations import event_types, table_items
from tests.support.outbox import outbox_items
from tests.support.people import add_member

SETTINGS, REPORT = "/v1/privacy/settings", "/v1/privacy/pii-report"
NOTE = "Call Sam at (415) 555-0132 or sam@kiln.example"  # not the customer's own contact


def _report(client: TestClient, tenant: Tenant) -> dict[str, Any]:
    response = client.get(REPORT, headers=tenant.auth)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def _redact(client: TestClient, tenant: Tenant, region: str = "US") -> None:
    response = client.put(SETTINGS, json={"pii_mode": "redact", "phone_region": region},
                          headers=tenant.auth | {"If-Match": '"0"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"1"', response.text


def _comment(client: TestClient, tenant: Tenant, body: str) -> dict[str, Any]:
    proof = client.post("/v1/proofs", json={"title": "Poster"}, headers=tenant.auth).json()
    response = client.post(f"/v1/proofs/{proof['id']}/comments", json={"body": body}, headers=tenant.auth)
    assert response.status_code == 201, response.text
    comment: dict[str, Any] = response.json()
    return comment


def test_flag_keeps_the_text_encrypted_and_counts_it_once(client: TestClient, tenant_a: Tenant,
                                                          tenant_b: Tenant) -> None:
    created = client.post("/v1/fieldwork/customers", json=NEW_CUSTOMER | {"notes": NOTE}, headers=tenant_a.auth)
    assert created.status_code == 201 and created.json()["notes"] == NOTE, created.text
    (stored,) = table_items("Customer")
    assert stored["notes"]["S"].startswith("fe1:") and "555-0132" not in str(stored)
    # Saved again with its notes unchanged: they were screened when written, and are not counted again.
    customer_path = f"/v1/fieldwork/customers/{created.json()['id']}"
    renamed = client.patch(customer_path, json={"name": "Harbour Bakery Ltd"},
                           headers=tenant_a.auth | {"If-Match": created.headers["ETag"]})
    assert renamed.status_code == 200 and renamed.json()["notes"] == NOTE, renamed.text

    report = _report(client, tenant_a)
    once = {"flagged": 1, "redacted": 0}
    assert report["total"] == {"flagged": 2, "redacted": 0}
    assert report["by_kind"] == {"email": once, "phone": once}
    assert report["by_field"] == {"Customer.notes": {"flagged": 2, "redacted": 0}}
    assert "kiln.example" not in str(table_items("PiiTally"))
    assert _report(client, tenant_b)["total"] == {"flagged": 0, "redacted": 0}  # another tenant's counts
    assert client.get(REPORT, params={"month": "2001-01"}, headers=tenant_a.auth).json()["by_kind"] == {}


def test_redact_stores_placeholders_in_this_tenant_only(client: TestClient, tenant_a: Tenant,
                                                        tenant_b: Tenant) -> None:
    _redact(client, tenant_a, region="GB")
    got = client.get(SETTINGS, headers=tenant_a.auth)
    assert got.json() == {"pii_mode": "redact", "phone_region": "GB"} and got.headers["ETag"] == '"1"'
    assert "privacy.settings_changed" in event_types()
    log = client.get("/v1/audit-events", params={"action": "privacy."}, headers=tenant_a.auth).json()["data"]
    assert [entry["action"] for entry in log] == ["privacy.settings_changed"]

    comment = _comment(client, tenant_a, "Ring 020 7946 0958, card 4111 1111 1111 1111")
    assert comment["body"] == "Ring [phone], card [card]"  # a national number read in the tenant's region
    read = client.get(f"/v1/proofs/{comment['proof_id']}/comments", headers=tenant_a.auth).json()["data"]
    assert [c["body"] for c in read] == ["Ring [phone], card [card]"]
    report = _report(client, tenant_a)
    assert report["by_field"] == {"ProofComment.body": {"flagged": 0, "redacted": 2}}

    assert _comment(client, tenant_b, NOTE)["body"] == NOTE  # tenant B still flags
    assert client.get(SETTINGS, headers=tenant_b.auth).json() == {"pii_mode": "flag", "phone_region": "US"}
    assert _report(client, tenant_b)["by_field"] == {"ProofComment.body": {"flagged": 2, "redacted": 0}}


def test_redact_reaches_work_order_notes_and_their_schedule_copy(client: TestClient, tenant_a: Tenant) -> None:
    _redact(client, tenant_a)
    path = f"/v1/fieldwork/work-orders/{a_scheduled_work_order(client, tenant_a)}"
    etag = client.get(path, headers=tenant_a.auth).headers["ETag"]
    changed = client.patch(path, json={"notes": NOTE}, headers=tenant_a.auth | {"If-Match": etag})
    assert changed.status_code == 200 and changed.json()["notes"] == "Call Sam at [phone] or [email]", changed.text
    written = str(outbox_items() + table_items("WorkOrder") + table_items("WorkOrderSchedule"))
    assert "kiln.example" not in written and "555-0132" not in written


@pytest.mark.parametrize(("made", "path"), [(a_draft_invoice, "/v1/fieldwork/invoices/{}"),
                                            (a_draft_report, "/v1/fieldwork/reports/{}")])
def test_redact_reaches_invoice_and_test_report_notes(client: TestClient, tenant_a: Tenant,
                                                      made: Callable[[TestClient, Tenant], str], path: str) -> None:
    _redact(client, tenant_a)
    record = path.format(made(client, tenant_a))
    etag = client.get(record, headers=tenant_a.auth).headers["ETag"]
    changed = client.patch(record, json={"notes": NOTE}, headers=tenant_a.auth | {"If-Match": etag})
    assert changed.status_code == 200 and changed.json()["notes"] == "Call Sam at [phone] or [email]", changed.text


def test_changing_the_setting_takes_privacy_manage_if_match_and_a_valid_body(client: TestClient,
                                                                             tenant_a: Tenant) -> None:
    body = {"pii_mode": "redact"}
    viewer = add_member(tenant_a.id, "viewer")
    assert client.get(SETTINGS, headers=viewer.auth).status_code == 403
    assert client.put(SETTINGS, json=body, headers=viewer.auth | {"If-Match": '"0"'}).status_code == 403
    assert client.put(SETTINGS, json=body, headers=tenant_a.auth).status_code == 428
    assert client.put(SETTINGS, json=body, headers=tenant_a.auth | {"If-Match": '"3"'}).status_code == 412
    for bad, field in (({"pii_mode": "hide"}, "pii_mode"), (body | {"phone_region": "AA"}, "phone_region"),
                       (body | {"phone_region": "gb"}, "phone_region")):
        refused = client.put(SETTINGS, json=bad, headers=tenant_a.auth | {"If-Match": '"0"'})
        assert refused.status_code == 422 and field in refused.text, refused.text
    assert client.get(REPORT, params={"month": "2026-13"}, headers=tenant_a.auth).status_code == 422
    assert client.get(SETTINGS, headers=tenant_a.auth).json()["pii_mode"] == "flag"  # nothing changed
