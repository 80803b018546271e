"""Fieldwork due dates on a moved clock: the status shown on the day it is read, the daily job that stores it and
reminds the customer 60, 30 and 7 days before the due date and the day it is overdue (each once, however often the
job runs; a missed day's reminder the day after), a new series after a passed test, and the lists without scans."""

import datetime as dt
import re
from typing import Any

from fastapi.testclient import TestClient

from atrium.apps.fieldwork.assemblies.due_dates import next_due
from atrium.apps.fieldwork.assemblies.models import AssemblyItem
from atrium.apps.fieldwork.reminders.job import remind
from atrium.apps.fieldwork.reminders.models import ReminderItem
from atrium.apps.fieldwork.testing import (
    NEW_CERTIFICATION,
    NEW_CUSTOMER,
    NEW_DISTRICT,
    NEW_SITE,
    PASSING_RP,
    new_assembly,
    new_gauge,
)
from atrium.kernel import clock
from atrium.kernel.tenancy import tenant_scope
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker, run_schedule
from tests.api.conftest import Tenant, signup
from tests.support.aws_hook import recording_aws_calls
from tests.support.operation_calls import is_rate_limit
from tests.support.people import add_member

ROOT = "/v1/fieldwork"
JOB = "fieldwork.remind_due_assemblies"
DAY = 86400


def _post(client: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{ROOT}{path}", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _get(client: TestClient, tenant_id: str, path: str) -> dict[str, Any]:
    """Read as a member signed in now (the clock may have moved past anyone's access token)."""
    response = client.get(f"{ROOT}{path}", headers=add_member(tenant_id, "viewer").auth)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _due_in(days: int) -> dt.date:
    """A due date about ``days`` from the real today, never 29 February (so a test a year before falls due on it)."""
    due = dt.date.today() + dt.timedelta(days=days)
    return due + dt.timedelta(days=1) if (due.month, due.day) == (2, 29) else due


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


class Office:
    """A customer billed at ``email`` with two sites, and a district testing every 12 months."""

    def __init__(self, client: TestClient, owner: Tenant, email: str) -> None:
        self.client, self.auth = client, owner.auth
        self.customer = _post(client, owner.auth, "/customers",
                              NEW_CUSTOMER | {"billing_contact": {"name": "Dana Reyes", "email": email}})
        self.sites = [_post(client, owner.auth, f"/customers/{self.customer['id']}/sites", NEW_SITE | {"name": name})
                      for name in ("Main shop", "Warehouse")]
        self.district = _post(client, owner.auth, "/districts", NEW_DISTRICT)

    def assembly(self, due: dt.date | None, site: int = 0) -> dict[str, Any]:
        """An assembly next due on ``due`` (its last passed test a year before), or untested."""
        last_test = None if due is None else due.replace(year=due.year - 1).isoformat()
        made = _post(self.client, self.auth, f"/sites/{self.sites[site]['id']}/assemblies",
                     new_assembly(self.district["id"], last_test_date=last_test))
        assert made["next_due_date"] == (due and due.isoformat())
        return made


def _reminders(to: str) -> list[str]:
    """The reminders emailed to ``to``, oldest first: ``overdue``, or the days left the email says."""
    said = []
    for mail in reversed(sent_mail()):
        if mail["to"] == to:
            days = re.search(r"in (\d+) days", mail["text"])
            said.append("overdue" if "overdue" in mail["subject"] else days.group(1) if days else mail["subject"])
    return said


def _stored_status(tenant_id: str, assembly_id: str) -> str:
    with tenant_scope(tenant_id):
        return str(AssemblyItem.load(tenant_id, assembly_id, consistent=True).status)


def _audited(client: TestClient, tenant_id: str, action: str) -> list[dict[str, Any]]:
    response = client.get("/v1/audit-events", params={"action": action},
                          headers=add_member(tenant_id, "admin").auth)
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def test_each_reminder_goes_out_once_and_a_passed_test_starts_a_new_series(client: TestClient,
                                                                            worker: Worker) -> None:
    due = _due_in(75)
    billing = "dana@reminded.example"
    # Twice on the days a reminder falls due, and not at all the day the 7-day one does.
    runs = {-60: 2, -30: 2, -7: 0, 1: 2}
    # What the customer has been sent by the end of a day (days from the due date).
    expected = {-61: [], -60: ["60"], -31: ["60"], -30: ["60", "30"], -8: ["60", "30"],
                -6: ["60", "30", "6"], 0: ["60", "30", "6"], 1: ["60", "30", "6", "overdue"],
                2: ["60", "30", "6", "overdue"]}
    with clock.frozen(_noon(due - dt.timedelta(days=61))) as advance:
        owner = signup(client, "Reminders")
        office = Office(client, owner, billing)
        assembly = office.assembly(due)
        office.assembly(None)  # untested: no due date, no reminders
        for day in range(-61, 3):
            if day > -61:
                advance(DAY)
            for _ in range(runs.get(day, 1)):
                run_schedule(JOB)
            if day in expected:
                worker.drain()
                assert _reminders(billing) == expected[day], day

        first = next(mail for mail in reversed(sent_mail()) if mail["to"] == billing)
        assert first["subject"] == f"Backflow test due {due:%B} {due.day}, {due.year}: RP {assembly['serial']}"
        assert "Hello Dana Reyes," in first["text"] and "Main shop, 12 Harbour Road, Springfield, OR 97477" in \
            first["text"] and f"Serial: {assembly['serial']}" in first["text"]
        due_soon = _audited(client, owner.id, "fieldwork.assembly.due_soon")
        overdue = _audited(client, owner.id, "fieldwork.assembly.overdue")
        assert [(e["actor"]["id"], e["targets"][0]["id"]) for e in due_soon + overdue] == \
            [("fieldwork.remind_due_assemblies", assembly["id"])] * 4
        shown = _get(client, owner.id, f"/assemblies/{assembly['id']}")
        assert (shown["status"], shown["last_reminder"]) == ("overdue", "overdue")

        # A passed test: a new due date, compliant again, and its own series of reminders.
        boss, tester = add_member(owner.id, "owner"), add_member(owner.id, "tester")
        _post(client, boss.auth, "/certifications", NEW_CERTIFICATION | {"user_id": tester.user_id})
        gauge = _post(client, boss.auth, "/gauges", new_gauge())
        today = clock.now().date()
        report = _post(client, tester.auth, f"/assemblies/{assembly['id']}/reports",
                       {"gauge_id": gauge["id"], "tested_on": today.isoformat(), "readings": PASSING_RP})
        assert client.post(f"{ROOT}/reports/{report['id']}/sign", headers=tester.auth).status_code == 200
        new_due = next_due(today, 12)
        shown = _get(client, owner.id, f"/assemblies/{assembly['id']}")
        assert (shown["next_due_date"], shown["status"], shown["last_reminder"]) == (new_due.isoformat(),
                                                                                   "compliant", None)
        assert _stored_status(owner.id, assembly["id"]) == "compliant"
        advance((new_due - today).days * DAY - 61 * DAY)
        run_schedule(JOB)
        advance(DAY)
        run_schedule(JOB)
        run_schedule(JOB)
        worker.drain()
        assert _reminders(billing) == ["60", "30", "6", "overdue", "60"]


def test_the_status_shown_is_the_days_own_and_the_job_stores_it(client: TestClient) -> None:
    due = _due_in(75)
    with clock.frozen(_noon(due - dt.timedelta(days=61))) as advance:
        owner = signup(client, "Statuses")
        office = Office(client, owner, "statuses@office.example")
        assembly, untested = office.assembly(due), office.assembly(None)

        def status() -> tuple[str, str]:
            """As shown, and as stored."""
            return (_get(client, owner.id, f"/assemblies/{assembly['id']}")["status"],
                    _stored_status(owner.id, assembly["id"]))

        assert status() == ("compliant", "compliant")
        assert _get(client, owner.id, f"/assemblies/{untested['id']}")["status"] == "untested"
        advance(DAY)  # 60 days before the due date: due soon, before the job has run
        assert status() == ("due_soon", "compliant")
        run_schedule(JOB)
        assert status() == ("due_soon", "due_soon")
        advance(60 * DAY)  # the due date itself
        assert status() == ("due_soon", "due_soon")
        advance(DAY)
        assert status() == ("overdue", "due_soon")
        run_schedule(JOB)
        assert status() == ("overdue", "overdue")
        assert _stored_status(owner.id, untested["id"]) == "untested"


def test_the_job_queries_only_what_is_due_and_skips_deleted_assemblies(client: TestClient, tenant_a: Tenant,
                                                                       worker: Worker) -> None:
    office = Office(client, tenant_a, "skips@office.example")
    kept = office.assembly(_due_in(20))
    office.assembly(_due_in(200))  # nothing due for a while
    gone = office.assembly(_due_in(10))
    assert client.delete(f"{ROOT}/assemblies/{gone['id']}", headers=tenant_a.auth).status_code == 204
    with recording_aws_calls() as calls:
        result = run_schedule(JOB)
    assert result == {"tenants": 1, "reminders": 1}
    # The tenants, the tenant's reminders due by today, their assemblies, one transaction per reminder.
    assert [call.operation for call in calls if call.service == "dynamodb"] == [
        "Query", "Query", "BatchGetItem", "TransactWriteItems"]
    worker.drain()
    assert _reminders("skips@office.example") == [str((dt.date.fromisoformat(kept["next_due_date"])
                                                       - dt.date.today()).days)]


def test_a_run_beside_another_sends_nothing_twice(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    office = Office(client, tenant_a, "race@office.example")
    assembly = office.assembly(_due_in(50))
    today = dt.date.today()
    with tenant_scope(tenant_a.id):  # what a second run read before the first one wrote
        entry = ReminderItem.get(*ReminderItem.key_of(tenant_a.id, assembly["id"]))
        read = AssemblyItem.load(tenant_a.id, assembly["id"], consistent=True)
    assert run_schedule(JOB)["reminders"] == 1
    with tenant_scope(tenant_a.id):
        assert not remind(read, entry, today)  # its write fails on the version the first run moved
    assert run_schedule(JOB)["reminders"] == 0
    worker.drain()
    assert _reminders("race@office.example") == [str((dt.date.fromisoformat(assembly["next_due_date"]) - today).days)]


def _pages(client: TestClient, auth: dict[str, str], path: str, params: dict[str, Any]) -> list[list[str]]:
    """Every page of a list, each request checked to make one DynamoDB Query (past the rate limiter's count), after
    reading the customer or site a list is of."""
    calls_per_page = ["GetItem", "Query"] if path.startswith(("/customers/", "/sites/")) else ["Query"]
    pages, cursor = [], None
    while True:
        with recording_aws_calls() as calls:
            response = client.get(f"{ROOT}{path}", headers=auth,
                                  params=params | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        assert [call.operation for call in calls if call.service == "dynamodb" and not is_rate_limit(call)] == \
            calls_per_page, path
        pages.append([assembly["id"] for assembly in response.json()["data"]])
        cursor = response.json()["next_cursor"]
        if not cursor:
            return pages


def test_the_due_overdue_and_customer_lists_are_ordered_and_paged(client: TestClient, tenant_a: Tenant,
                                                                  tenant_b: Tenant) -> None:
    office, other = Office(client, tenant_a, "one@office.example"), Office(client, tenant_a, "two@office.example")
    late = office.assembly(_due_in(-10))
    soon = office.assembly(_due_in(20))
    untested = office.assembly(None)
    later = office.assembly(_due_in(100), site=1)
    elsewhere_late = other.assembly(_due_in(-3))
    elsewhere_soon = other.assembly(_due_in(55))
    auth = tenant_a.auth
    client.get(f"{ROOT}/overdue-assemblies", headers=auth)  # the caller's access is cached before counting calls

    def listed(path: str, limit: int = 2, **query: str) -> list[str]:
        pages = _pages(client, auth, path, {"limit": limit, **query})
        assert all(len(page) <= limit for page in pages)
        return [assembly_id for page in pages for assembly_id in page]

    due_soon = [late["id"], elsewhere_late["id"], soon["id"], elsewhere_soon["id"]]
    assert listed("/due-assemblies") == due_soon
    assert listed("/due-assemblies", limit=1) == due_soon
    assert listed("/due-assemblies", before=later["next_due_date"]) == [*due_soon, later["id"]]
    assert listed("/due-assemblies", before=_due_in(-4).isoformat()) == [late["id"]]
    assert listed("/overdue-assemblies", limit=1) == [late["id"], elsewhere_late["id"]]
    assert listed(f"/customers/{office.customer['id']}/assemblies") == [late["id"], soon["id"], untested["id"],
                                                                         later["id"]]
    assert listed(f"/sites/{office.sites[0]['id']}/assemblies", limit=1) == [late["id"], soon["id"], untested["id"]]
    statuses = {a["id"]: a["status"] for a in _get(client, tenant_a.id, f"/customers/{office.customer['id']}"
                                                   "/assemblies")["data"]}
    assert statuses == {late["id"]: "overdue", soon["id"]: "due_soon", untested["id"]: "untested",
                        later["id"]: "compliant"}

    # Another tenant sees none of them, and not the customer.
    for path in ("/due-assemblies?before=2100-01-01", "/overdue-assemblies"):
        assert client.get(f"{ROOT}{path}", headers=tenant_b.auth).json() == {"data": [], "next_cursor": None}
    assert client.get(f"{ROOT}/customers/{office.customer['id']}/assemblies",
                      headers=tenant_b.auth).status_code == 404
    cursor = client.get(f"{ROOT}/due-assemblies?limit=1", headers=auth).json()["next_cursor"]
    assert client.get(f"{ROOT}/due-assemblies?limit=1&cursor={cursor}", headers=tenant_b.auth).status_code == 400
    assert client.get(f"{ROOT}/due-assemblies?before=soon", headers=auth).status_code == 422
