"""Enforcement: denials are audited, expiring grants lapse on their own, changes apply within the cache TTL."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from atrium.identity.models import MembershipItem
from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.store.audit import AuditItem, month_bucket_pk
from atrium.kernel.tenancy import tenant_scope
from tests.api.conftest import Tenant
from tests.support.people import add_member

NOON = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _audit(tenant_id: str) -> list[AuditItem]:
    with tenant_scope(tenant_id):
        return [item for item in AuditItem.gsi1.query(month_bucket_pk(tenant_id, clock.now()))
                if isinstance(item, AuditItem)]


def test_a_denial_is_a_403_problem_and_an_audit_entry(client: TestClient, tenant_a: Tenant) -> None:
    viewer = add_member(tenant_a.id, "viewer")
    response = client.patch("/v1/tenant", json={"name": "X"}, headers=viewer.auth | {"If-Match": '"1"'})
    assert response.status_code == 403 and response.headers["content-type"] == "application/problem+json"
    (denial,) = [entry for entry in _audit(tenant_a.id) if entry.action == "access.denied"]
    assert denial.outcome == "denied" and denial.actor.id == viewer.user_id
    assert [t.id for t in denial.targets] == ["identity.update_tenant"]


def test_an_expired_grant_stops_counting_without_any_job(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(NOON) as advance:
        admin = add_member(tenant_a.id, "admin", expires_at=NOON + timedelta(minutes=10))
        rename = {"json": {"name": "Renamed"}}
        response = client.patch("/v1/tenant", **rename, headers=admin.auth | {"If-Match": '"1"'})
        assert response.status_code == 200
        advance(600 + settings().access_cache_seconds)  # the access token itself is still valid
        response = client.patch("/v1/tenant", **rename, headers=admin.auth | {"If-Match": '"2"'})
        assert response.status_code == 403


def test_a_role_change_applies_within_the_cache_ttl(client: TestClient, tenant_a: Tenant) -> None:
    with clock.frozen(NOON) as advance:
        member = add_member(tenant_a.id, "admin")
        assert client.get("/v1/tenant", headers=member.auth).status_code == 200
        with tenant_scope(tenant_a.id):
            membership = MembershipItem.load(tenant_a.id, member.user_id)
            membership.status = "deactivated"
            membership.save()
        assert client.get("/v1/tenant", headers=member.auth).status_code == 200  # cached, within the TTL
        advance(settings().access_cache_seconds)
        assert client.get("/v1/tenant", headers=member.auth).status_code == 403
