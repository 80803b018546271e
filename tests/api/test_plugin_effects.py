"""What a plugin asks the platform to do (docs/plugins.md, "Host functions"): `events_emit` becomes the tenant's
`plugin.event_emitted` event, acted by the plugin; `notify` emails the tenant's admins or one member; each needs its
permission; a run that fails leaves no effect; the limits hold."""

from typing import Any

from fastapi.testclient import TestClient

from atrium.plugins.testing import installed
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker
from tests.api.conftest import Tenant
from tests.support.people import add_member
from tests.support.plugins import relay, wasm

EFFECTS = {"name": "Announcer", "version": "1.0.0", "type": "utility", "permissions": ["events:emit", "notify"],
           "hooks": ["events_emit", "notify"]}


def _run(client: TestClient, tenant: Tenant, hook: str, payload: dict[str, Any]) -> Any:
    ran = client.post(f"/v1/plugins/hooks/{hook}", json={"payload": payload}, headers=tenant.auth)
    assert ran.status_code == 200, ran.text
    (result,) = ran.json()["results"]
    return result


def _emitted(client: TestClient, tenant: Tenant) -> list[dict[str, Any]]:
    entries = client.get("/v1/audit-events", params={"limit": 100}, headers=tenant.auth).json()["data"]
    return [entry for entry in entries if entry["action"] == "plugin.event_emitted"]


def test_an_emitted_event_is_the_tenants_acted_by_the_plugin(client: TestClient, tenant_a: Tenant,
                                                             tenant_b: Tenant) -> None:
    plugin = installed(client, tenant_a.id, tenant_a.auth, EFFECTS, wasm(relay("events_emit", "notify")))
    result = _run(client, tenant_a, "events_emit", {"name": "scan.finished", "data": {"clean": True}})
    assert result["outcome"] == "ok" and result["answer"] is None
    (entry,) = _emitted(client, tenant_a)
    assert entry["actor"] == {"type": "plugin", "id": plugin["id"], "name": "Announcer"}
    assert _emitted(client, tenant_b) == []
    bad = _run(client, tenant_a, "events_emit", {"name": "Not An Event!", "data": {}})
    assert "event: " in bad["answer"]["error"]
    assert len(_emitted(client, tenant_a)) == 1


def test_a_notification_emails_the_admins_or_the_member_named(client: TestClient, tenant_a: Tenant,
                                                              worker: Worker) -> None:
    installed(client, tenant_a.id, tenant_a.auth, EFFECTS, wasm(relay("events_emit", "notify")))
    member = add_member(tenant_a.id, "member")
    _run(client, tenant_a, "notify", {"subject": "Nightly check", "text": "All proofs have versions."})
    _run(client, tenant_a, "notify", {"to": member.user_id, "subject": "For you", "text": "Hello."})
    worker.drain()
    mails = {(mail["to"], mail["subject"]) for mail in sent_mail() if "Announcer" in mail["subject"]}
    assert mails == {(tenant_a.email, "Announcer: Nightly check"), (member.email, "Announcer: For you")}


def test_without_their_permissions_the_imports_are_refused_and_a_failed_run_has_no_effect(
        client: TestClient, tenant_a: Tenant) -> None:
    refused = installed(client, tenant_a.id, tenant_a.auth, {**EFFECTS, "permissions": ["notify"]},
                        wasm(relay("events_emit", "notify")))
    assert refused["scan_findings"] == ["imports atrium.events_emit without the permission 'events:emit'"]
    installed(client, tenant_a.id, tenant_a.auth, {**EFFECTS, "hooks": ["emit_then_trap"]}, wasm(EMIT_THEN_TRAP))
    assert _run(client, tenant_a, "emit_then_trap", {"name": "half.done"})["outcome"] == "trap"
    assert _emitted(client, tenant_a) == []


EMIT_THEN_TRAP = """(module
  (import "atrium" "events_emit" (func $emit (param i32 i32) (result i64)))
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "hook_emit_then_trap") (param $p i32) (param $l i32) (result i64)
    (drop (call $emit (local.get $p) (local.get $l)))
    unreachable))
"""
