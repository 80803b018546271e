"""Event types the operator context emits, in the affected tenant's stream (and audit log)."""

from pydantic import BaseModel

from atrium.kernel.events.catalog import EventType


class TenantSuspended(BaseModel):
    tenant_id: str
    reason: str


class TenantReactivated(BaseModel):
    tenant_id: str


TENANT_SUSPENDED = EventType("tenant.suspended", TenantSuspended,
                             "An operator suspended a tenant: its users and API tokens are refused.",
                             read_permission="tenant:read")
TENANT_REACTIVATED = EventType("tenant.reactivated", TenantReactivated, "An operator lifted a tenant's suspension.",
                               read_permission="tenant:read")

EVENT_TYPES = [TENANT_SUSPENDED, TENANT_REACTIVATED]
