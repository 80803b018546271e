"""Retention per kind of data (docs/compliance.md): a tenant chooses its days within the rules' bounds, and the
daily purge deletes, per tenant, what outlived them: finished jobs, webhook messages with their delivery logs."""

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from atrium.compliance.retention.schedules import apply_retention
from atrium.jobs.models import JobItem, JobStatus
from atrium.kernel import clock, ids
from atrium.kernel.store.models import Item
from atrium.kernel.tenancy import tenant_scope
from atrium.webhooks.message_models import WebhookDeliveryItem, WebhookMessageItem, message_pk
from tests.api.conftest import Tenant

PATH = "/v1/privacy/retention"


def _days(client: TestClient, tenant: Tenant) -> dict[str, int]:
    return {rule["name"]: rule["days"] for rule in client.get(PATH, headers=tenant.auth).json()["rules"]}


def _put(client: TestClient, tenant: Tenant, days: dict[str, Any], etag: str | None = '"0"') -> Any:
    return client.put(PATH, json={"days": days}, headers=tenant.auth | ({"If-Match": etag} if etag else {}))


def test_a_tenant_chooses_within_the_bounds_and_the_change_is_logged(client: TestClient, tenant_a: Tenant,
                                                                      tenant_b: Tenant) -> None:
    listed = client.get(PATH, headers=tenant_a.auth)
    assert listed.headers["etag"] == '"0"'
    rules = {rule["name"]: rule for rule in listed.json()["rules"]}
    assert rules["jobs.finished"] | {"description": ""} == {
        "name": "jobs.finished", "description": "", "days": 365, "default_days": 365, "minimum_days": 7,
        "maximum_days": 3650}
    assert rules["webhooks.messages"]["days"] == rules["webhooks.messages"]["maximum_days"] == 30

    refused = {"unknown": _put(client, tenant_a, {"jobs.everything": 30}),
               "short": _put(client, tenant_a, {"jobs.finished": 6}),
               "long": _put(client, tenant_a, {"webhooks.messages": 31}),
               "typed": _put(client, tenant_a, {"jobs.finished": "forever"}),
               "empty": _put(client, tenant_a, {})}
    assert {name: answer.status_code for name, answer in refused.items()} == dict.fromkeys(refused, 422)
    assert [e["field"] for e in refused["short"].json()["errors"]] == ["body.days.jobs.finished"]
    assert "7 to 3650 days" in refused["short"].json()["detail"]
    assert _put(client, tenant_a, {"jobs.finished": 30}, etag=None).status_code == 428
    assert _put(client, tenant_a, {"jobs.finished": 30}, etag='"3"').status_code == 412

    changed = _put(client, tenant_a, {"jobs.finished": 30})
    assert changed.status_code == 200, changed.text
    again = _put(client, tenant_a, {"webhooks.messages": 7}, etag=changed.headers["etag"])
    assert again.status_code == 200, again.text
    assert _days(client, tenant_a) == {"jobs.finished": 30, "webhooks.messages": 7}
    assert _days(client, tenant_b) == {"jobs.finished": 365, "webhooks.messages": 30}  # another tenant's own
    logged = client.get("/v1/audit-events", params={"action": "privacy.retention_changed"},
                        headers=tenant_a.auth).json()["data"]
    assert [entry["metadata"] for entry in logged] == [  # newest first
        {"days": {"webhooks.messages": 7}, "previous_days": {"webhooks.messages": 30}},
        {"days": {"jobs.finished": 30}, "previous_days": {"jobs.finished": 365}}]


def _job(tenant_id: str, status: JobStatus, finished_at: datetime | None) -> JobItem:
    with tenant_scope(tenant_id):
        job = JobItem(tenant_id=tenant_id, id=ids.new_id("job"), kind="audit.export", permission="audit:export",
                      status=status.value, created_by="usr_1", finished_at=finished_at, params={"subject": "x"})
        job.save()
    return job


def _message(tenant_id: str) -> WebhookMessageItem:
    with tenant_scope(tenant_id):
        message = WebhookMessageItem(tenant_id=tenant_id, id=ids.new_id("msg"), event_type="proof.created",
                                     body='{"name": "Dana"}', created_at=clock.now())
        message.save()
        WebhookDeliveryItem(tenant_id=tenant_id, message_id=message.id, endpoint_id="ep_1",
                            message_created_at=message.created_at).save()
    return message


def _left(message: WebhookMessageItem) -> int:
    """How many items of the message's partition (itself, its deliveries) are left."""
    with tenant_scope(message.tenant_id):
        return len(list(Item.query(message_pk(message.tenant_id, message.id), consistent_read=True)))


def test_the_daily_purge_deletes_what_outlived_each_tenants_retention(client: TestClient, tenant_a: Tenant,
                                                                      tenant_b: Tenant) -> None:
    assert _put(client, tenant_a, {"jobs.finished": 7, "webhooks.messages": 1}).status_code == 200
    now = clock.now()
    old = {tenant.id: (_job(tenant.id, JobStatus.SUCCEEDED, now), _job(tenant.id, JobStatus.FAILED, now),
                       _message(tenant.id)) for tenant in (tenant_a, tenant_b)}
    running = _job(tenant_a.id, JobStatus.RUNNING, None)
    late = _job(tenant_a.id, JobStatus.SUCCEEDED, now + timedelta(days=5))  # finished after the cut

    result = apply_retention(now + timedelta(days=10))  # a's cut: 3 days from now; b keeps its defaults
    assert result["deleted"] >= 3  # (and whatever other tests' tenants left)
    a_jobs = {job["id"] for job in client.get("/v1/jobs", headers=tenant_a.auth).json()["data"]}
    assert a_jobs == {running.id, late.id}
    assert _left(old[tenant_a.id][2]) == 0  # message and its delivery
    b_jobs = {job["id"] for job in client.get("/v1/jobs", headers=tenant_b.auth).json()["data"]}
    assert b_jobs == {old[tenant_b.id][0].id, old[tenant_b.id][1].id}
    assert _left(old[tenant_b.id][2]) == 2
    applied = client.get("/v1/audit-events", params={"action": "privacy.retention_applied"},
                         headers=tenant_a.auth).json()["data"]
    assert sorted((e["targets"][0]["id"], e["metadata"]["deleted"]) for e in applied) == [
        ("jobs.finished", 2), ("webhooks.messages", 1)]
    assert apply_retention(now + timedelta(days=10))["deleted"] == 0  # nothing left to delete: a rerun is a no-op
