"""The audit log: its entries, its chain and how tampering with the table is caught."""

import json
import re
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from atrium.audit.checkpoints import PREFIX
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store.audit import seq_key
from atrium_local.cli import app as cli
from atrium_local.worker import Worker, run_schedule
from tests.api.audit_helpers import chained_entries, head_key, key_of, rename, table, verify
from tests.api.conftest import Tenant, signup
from tests.support.people import add_member
from tests.support.step_up import stepped_up

EVENTS = "/v1/audit-events"


def _kinds(report: dict[str, object]) -> set[tuple[str, object]]:
    return {(finding["kind"], finding["seq"]) for finding in report["findings"]}  # type: ignore[attr-defined]


def test_every_change_is_logged_with_actor_targets_and_context(client: TestClient, tenant_a: Tenant,
                                                                worker: Worker) -> None:
    rename(client, tenant_a, 1)
    worker.drain()
    response = client.get(EVENTS, headers=tenant_a.auth | {"User-Agent": "audit-test"})
    assert response.status_code == 200
    newest, oldest = response.json()["data"]
    assert (newest["action"], oldest["action"]) == ("tenant.updated", "tenant.created")
    assert newest["actor"] == {"type": "user", "id": tenant_a.user_id, "name": tenant_a.email}
    assert newest["targets"] == [{"type": "tenant", "id": tenant_a.id, "name": None}]
    assert newest["context"]["ip"] and newest["context"]["request_id"]
    assert newest["outcome"] == "success" and newest["metadata"] == {}
    assert (oldest["seq"], newest["seq"]) == (1, 2) and re.fullmatch(r"[0-9a-f]{64}", newest["hash"])
    assert newest["occurred_at"] > oldest["occurred_at"]
    assert client.get(f"{EVENTS}/{newest['id']}", headers=tenant_a.auth).json() == newest


def test_the_chain_verifies_and_its_head_is_checkpointed_under_object_lock(client: TestClient, tenant_a: Tenant,
                                                                           worker: Worker) -> None:
    rename(client, tenant_a, 3)
    worker.drain()
    run_schedule("audit.checkpoint_chains")
    report = verify(client, tenant_a)
    assert report["intact"] and report["findings"] == []
    assert (report["head_seq"], report["entries_verified"], report["pending"]) == (4, 4, 0)
    assert report["checkpoints_checked"] >= 1
    s3 = boto3.client("s3", region_name=settings().region)
    bucket = settings().audit_checkpoint_bucket
    key = f"{PREFIX}/{tenant_a.id}/{seq_key(4)}.json"
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ObjectLockMode"] == "COMPLIANCE"
    version = head["VersionId"]
    with pytest.raises(ClientError):
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version)


def test_an_edited_entry_is_caught(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    rename(client, tenant_a, 3)
    worker.drain()
    entry = chained_entries(tenant_a.id)[2]
    table().update_item(TableName=settings().table_name, Key=key_of(entry), UpdateExpression="SET #a = :a",
                        ExpressionAttributeNames={"#a": "action"}, ExpressionAttributeValues={":a": {"S": "noop"}})
    report = verify(client, tenant_a)
    assert not report["intact"] and _kinds(report) == {("altered", 2)}
    assert report["findings"][0]["entry_id"] == entry["id"]["S"]


def test_a_deleted_entry_is_caught(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    rename(client, tenant_a, 3)
    worker.drain()
    table().delete_item(TableName=settings().table_name, Key=key_of(chained_entries(tenant_a.id)[3]))
    report = verify(client, tenant_a)
    assert not report["intact"] and ("missing", 4) in _kinds(report)


def test_reordered_entries_are_caught(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    rename(client, tenant_a, 3)
    worker.drain()
    entries = chained_entries(tenant_a.id)
    for entry, seq in ((entries[2], 3), (entries[3], 2)):  # swap two positions, keys and all
        table().update_item(TableName=settings().table_name, Key=key_of(entry),
                            UpdateExpression="SET seq = :s, gsi2sk = :k",
                            ExpressionAttributeValues={":s": {"N": str(seq)}, ":k": {"S": seq_key(seq)}})
    report = verify(client, tenant_a)
    assert not report["intact"] and {("altered", 2), ("altered", 3)} <= _kinds(report)


@pytest.mark.parametrize("rewind_head", [False, True])
def test_a_truncated_tail_is_caught(client: TestClient, tenant_a: Tenant, worker: Worker, rewind_head: bool) -> None:
    rename(client, tenant_a, 5)
    worker.drain()
    run_schedule("audit.checkpoint_chains")  # a checkpoint of the head at 6
    entries = chained_entries(tenant_a.id)
    for seq in (5, 6):
        table().delete_item(TableName=settings().table_name, Key=key_of(entries[seq]))
    if rewind_head:  # the intruder also points the head at the new last entry: only the checkpoint knows
        table().update_item(TableName=settings().table_name, Key=head_key(tenant_a.id),
                            UpdateExpression="SET seq = :s, #h = :h", ExpressionAttributeNames={"#h": "hash"},
                            ExpressionAttributeValues={":s": {"N": "4"}, ":h": entries[4]["chain_hash"]})
    report = verify(client, tenant_a)
    assert not report["intact"] and report["last_seq"] == 4
    assert {kind for kind, _ in _kinds(report)} == {"truncated"}


def test_a_forged_checkpoint_is_refused(client: TestClient, tenant_a: Tenant, worker: Worker) -> None:
    worker.drain()
    boto3.client("s3", region_name=settings().region).put_object(
        Bucket=settings().audit_checkpoint_bucket, Key=f"{PREFIX}/{tenant_a.id}/{seq_key(9)}.json",
        Body=b'{"tenant_id": "%s", "seq": 9, "hash": "00", "occurred_at": null, "mac": "00"}' % tenant_a.id.encode())
    report = verify(client, tenant_a)
    assert _kinds(report) == {("bad_checkpoint", None)}


def test_lists_filter_by_action_actor_target_and_time_and_page(client: TestClient, worker: Worker) -> None:
    start = datetime.now(UTC)
    with clock.frozen(start) as advance:
        tenant = signup(client, "Filters")
        advance(600)  # within the access token's life
        rename(client, tenant, 2)
        advance(40 * 86400)  # into the next month's bucket
        admin = add_member(tenant.id, "admin")
        token = client.post("/v1/api-tokens", json={"name": "ci", "scopes": ["tenant:read"]},
                            headers=stepped_up(client, admin.auth))
        assert token.status_code == 201
        worker.drain()

        def actions(**query: str) -> list[str]:
            response = client.get(EVENTS, params=query, headers=admin.auth)
            assert response.status_code == 200, response.text
            return [entry["action"] for entry in response.json()["data"]]

        everything = actions()
        assert everything[0] == "api_token.created" and everything[-1] == "tenant.created"
        assert actions(action="tenant.") == ["tenant.updated", "tenant.updated", "tenant.created"]
        assert actions(actor=admin.user_id) == ["api_token.created", "account.stepped_up"]
        assert actions(target=f"api_token:{token.json()['id']}") == ["api_token.created"]
        assert actions(since=(start + timedelta(minutes=5)).isoformat(),
                       until=(start + timedelta(days=2)).isoformat()) == ["tenant.updated", "tenant.updated"]
        pages, cursor = [], None
        while True:
            body = client.get(EVENTS, params={"limit": 2} | ({"cursor": cursor} if cursor else {}),
                              headers=admin.auth).json()
            pages.append([entry["action"] for entry in body["data"]])
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert [action for page in pages for action in page] == everything and max(map(len, pages)) == 2


def test_bad_filters_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    for query in ({"since": "yesterday"}, {"until": "2026-01-01T00:00:00"}, {"target": "no colon"}):
        response = client.get(EVENTS, params=query, headers=tenant_a.auth)
        assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"


def test_tenant_b_sees_nothing_of_tenant_a(client: TestClient, tenant_a: Tenant, tenant_b: Tenant,
                                          worker: Worker) -> None:
    rename(client, tenant_a, 2)
    worker.drain()
    a_entry = client.get(EVENTS, headers=tenant_a.auth).json()["data"][0]
    assert client.get(f"{EVENTS}/{a_entry['id']}", headers=tenant_b.auth).status_code == 404
    assert [e["action"] for e in client.get(EVENTS, headers=tenant_b.auth).json()["data"]] == ["tenant.created"]
    assert verify(client, tenant_b)["head_seq"] == 1


def test_members_without_audit_permission_are_refused(client: TestClient, tenant_a: Tenant) -> None:
    member = add_member(tenant_a.id, "member")
    for path in (EVENTS, "/v1/audit/verify", "/v1/audit/settings"):
        assert client.get(path, headers=member.auth).status_code == 403


def test_the_cli_verifies_a_tenant_and_fails_on_tampering(client: TestClient, tenant_a: Tenant,
                                                          worker: Worker) -> None:
    rename(client, tenant_a, 2)
    worker.drain()
    runner = CliRunner()
    intact = runner.invoke(cli, ["audit", "verify", "--tenant", tenant_a.id, "--aws"])
    assert intact.exit_code == 0, intact.output
    assert json.loads(intact.stdout)["intact"] is True and json.loads(intact.stdout)["head_seq"] == 3
    table().delete_item(TableName=settings().table_name, Key=key_of(chained_entries(tenant_a.id)[2]))
    broken = runner.invoke(cli, ["audit", "verify", "--tenant", tenant_a.id, "--aws"])
    assert broken.exit_code == 1 and json.loads(broken.stdout)["findings"][0]["kind"] == "missing"
